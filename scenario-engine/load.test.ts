import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatErrors, loadScenario } from './load';
import type { Scenario, ScenarioError } from './types';

/** YAML written indented in the test, without the indentation; interpolated YAML goes in at column 1. */
function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const marker = (i: number): string => `\u0000${i}\u0000`;
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? marker(i) : ''), '');
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const dedented = lines.map((l) => l.slice(indent)).join('\n');
  return values.reduce<string>((out, v, i) => out.replace(marker(i), String(v).replace(/\n$/, '')), dedented);
}

/** Each error as "line:column: message [note]". */
function problems(text: string, file = 'test.yaml'): string[] {
  const { scenario, errors } = loadScenario(file, text);
  if (errors.length > 0) expect(scenario).toBeUndefined();
  return errors.map((e) => `${e.line}:${e.column}: ${e.message}${e.note === undefined ? '' : ` [${e.note}]`}`);
}

function load(text: string, file = 'test.yaml'): Scenario {
  const { scenario, errors } = loadScenario(file, text);
  expect(formatErrors(errors)).toBe('');
  return scenario!;
}

const PING_PONG_CORES = yaml`
  master: {app: ping-pong, params: {count: 1, payload-size: 4B}}
  remote: {app: ping-pong}
`;

describe('a file with three mistakes', () => {
  const text = yaml`
    platform: imxrt1170
    master:
      enviroment: rtos
      steps:
        - init
        - send: {from: tx, to: 30, size: 64B, interval: 10 parsecs}
        - create-endpoint: {name: tx}
    remote:
      steps: [init]
    stop: {time: 1ms}
  `;

  test('reports all three, each with its line and column', () => {
    const { scenario, errors } = loadScenario('three.yaml', text);
    expect(scenario).toBeUndefined();
    expect(errors).toEqual<ScenarioError[]>([
      {
        file: 'three.yaml',
        line: 3,
        column: 3,
        message: 'unknown key "enviroment" in master',
        path: ['master', 'enviroment'],
        note: 'did you mean "environment"?',
        lineText: '  enviroment: rtos',
      },
      {
        file: 'three.yaml',
        line: 6,
        column: 20,
        message: 'endpoint "tx" is used before it is defined',
        path: ['master', 'steps', 1, 'send', 'from'],
        note: 'it is created at line 7; steps run in order',
        lineText: '    - send: {from: tx, to: 30, size: 64B, interval: 10 parsecs}',
      },
      {
        file: 'three.yaml',
        line: 6,
        column: 53,
        message: 'expected a duration like 10us, 2ms or 100 cycles@cm4, got "10 parsecs"',
        path: ['master', 'steps', 1, 'send', 'interval'],
        lineText: '    - send: {from: tx, to: 30, size: 64B, interval: 10 parsecs}',
      },
    ]);
  });

  test('formatErrors shows each with its source line and a caret under the column', () => {
    expect(formatErrors(loadScenario('three.yaml', text).errors)).toBe(
      [
        'three.yaml:3:3: unknown key "enviroment" in master',
        '  3 |   enviroment: rtos',
        '    |   ^',
        '  note: did you mean "environment"?',
        'three.yaml:6:20: endpoint "tx" is used before it is defined',
        '  6 |     - send: {from: tx, to: 30, size: 64B, interval: 10 parsecs}',
        '    |                    ^',
        '  note: it is created at line 7; steps run in order',
        'three.yaml:6:53: expected a duration like 10us, 2ms or 100 cycles@cm4, got "10 parsecs"',
        '  6 |     - send: {from: tx, to: 30, size: 64B, interval: 10 parsecs}',
        '    |                                                     ^',
        '',
      ].join('\n'),
    );
  });
});

describe('formatErrors', () => {
  test('widens the gutter for long line numbers and keeps tabs so the caret lines up', () => {
    const error: ScenarioError = { file: 'f.yaml', line: 120, column: 5, message: 'm', path: [], lineText: '\tab: x' };
    expect(formatErrors([error])).toBe('f.yaml:120:5: m\n  120 | \tab: x\n      | \t   ^\n');
  });
});

describe('YAML syntax errors', () => {
  test('are reported with their position, and nothing else is checked', () => {
    expect(
      problems(yaml`
        master:
          app: ping-pong
          params: {count: 3, payload-size: 4B
        remote: {app: ping-pong}
        stop: {time: 1ms}
      `),
    ).toEqual(['4:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }']);
  });

  test('bad indentation', () => {
    // The parser sees "ping-pong params: 3" as one plain scalar holding a mapping.
    expect(problems('master:\n  app: ping-pong\n    params: 3\nstop: {}\n')).toEqual([
      '2:8: invalid YAML: Nested mappings are not allowed in compact mappings',
    ]);
  });

  test('tabs, several documents, unclosed quotes', () => {
    expect(problems('\tmaster: 1\n')).toEqual(['1:1: invalid YAML: Tabs are not allowed as indentation']);
    expect(problems(`${PING_PONG_CORES}stop: {time: 1ms}\n---\nname: x\n`)).toEqual([
      '4:1: a scenario file holds one YAML document; remove this "---" or split the file',
    ]);
    expect(problems("name: 'x\n")).toEqual(["2:1: invalid YAML: Missing closing 'quote"]);
  });

  test('duplicate keys name the first one; the rest of the file is still checked', () => {
    expect(problems(`${PING_PONG_CORES}stop: {time: 1ms}\nstop: {time: 2ms}\nplatform: imx8\n`)).toEqual([
      '4:1: duplicate key "stop" [it is already set at line 3]',
      '5:11: unknown platform "imx8"; expected one of imxrt1170, lpc55s69, imx8mm, lpc54114 [did you mean "imx8mm"?]',
    ]);
  });

  test('an unknown alias', () => {
    expect(problems(`${PING_PONG_CORES}stop: *limits\n`)).toEqual(['3:7: unknown alias *limits [define the anchor (&name) before using it]']);
  });
});

describe('the top level', () => {
  test('an empty file, a file that is not a map', () => {
    expect(problems('')).toEqual(['1:1: the file is empty [a scenario needs at least master, remote and stop]']);
    expect(problems('# nothing\n')).toEqual(['1:1: the file is empty [a scenario needs at least master, remote and stop]']);
    expect(problems('- master\n')).toEqual([
      '1:1: expected a map for the scenario, got a list [keys: name, description, platform, overrides, rpmsg, placement, master, remote, stop, pin-intervals, expect, faults, trace]',
    ]);
  });

  test('missing required keys are reported where the map starts', () => {
    expect(problems('# a comment first\nname: x\n')).toEqual([
      '2:1: missing required key "master" in the scenario',
      '2:1: missing required key "remote" in the scenario',
      '2:1: missing required key "stop" in the scenario',
    ]);
  });

  test('unknown keys: a did-you-mean for near misses, else the valid keys', () => {
    expect(problems(`${PING_PONG_CORES}stop: {time: 1ms}\nplatfrom: imxrt1170\nexpectations: {}\n`)).toEqual([
      '4:1: unknown key "platfrom" in the scenario [did you mean "platform"?]',
      '5:1: unknown key "expectations" in the scenario [did you mean "expect"?]',
    ]);
    expect(problems(`${PING_PONG_CORES}stop: {time: 1ms}\nfoo: 1\n`)).toEqual([
      '4:1: unknown key "foo" in the scenario [expected one of name, description, platform, overrides, rpmsg, placement, master, remote, stop, pin-intervals, expect, faults, trace]',
    ]);
  });

  test('the platform must exist; then cycle durations must name one of its cores', () => {
    expect(problems(`platform: rt1170\n${PING_PONG_CORES}stop: {time: 100 cycles@cm7}\n`)).toEqual([
      '1:11: unknown platform "rt1170"; expected one of imxrt1170, lpc55s69, imx8mm, lpc54114 [did you mean "imxrt1170"?]',
    ]);
    expect(problems(`platform: lpc55s69\n${PING_PONG_CORES}stop: {time: 100 cycles@cm7}\n`)).toEqual([
      '4:14: no core named "cm7" on lpc55s69; cycles count on core0 or core1',
    ]);
    expect(problems(`platform: lpc54114\n${PING_PONG_CORES}stop: {time: 100 cycles@cm0}\n`)).toEqual([
      '4:14: no core named "cm0" on lpc54114; cycles count on cm4 or cm0plus [did you mean "cm4"?]',
    ]);
    // The example in the message names a core of the platform.
    expect(problems(`platform: lpc55s69\n${PING_PONG_CORES}stop: {time: 100}\n`)).toEqual([
      '4:14: expected a duration like 10us, 2ms or 100 cycles@core1, got 100 [a duration needs a unit: 100ns, 100us, 100ms, 100s or 100 cycles@core1]',
    ]);
  });

  test('name defaults to the file name, platform to imxrt1170', () => {
    const s = load(`${PING_PONG_CORES}stop: {time: 1ms}\n`, 'dir/my-run.yaml');
    expect(s.name).toBe('my-run');
    expect(s.platform).toBe('imxrt1170');
    expect(s.file).toBe('dir/my-run.yaml');
  });
});

describe('platform overrides', () => {
  test('an unknown path is reported at its key with the nearest valid paths', () => {
    expect(
      problems(yaml`
        platform: imxrt1170
        overrides:
          clocks.cm4: 200MHz
          memories.ocram.readWaitState: 1
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '4:3: imxrt1170 has no setting "memories.ocram.readWaitState" [nearest valid paths: memories.ocram.readWaitStates, memories.ocram.writeWaitStates, memories.ocram.burstReadWaitStates]',
    ]);
  });

  test("the platform's own checks are mapped back to the override's value", () => {
    const { errors } = loadScenario(
      'o.yaml',
      yaml`
        platform: lpc55s69
        overrides:
          memories.sram3.readWaitStates: -1
          cores.core1.nvic.priorityBits: "3"
          interconnect.arbitration: fixed-priority
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `,
    );
    expect(errors.map((e) => [e.line, e.column, e.message, e.path])).toEqual([
      [3, 34, 'platform lpc55s69: memories.sram3.readWaitStates: wait states must be a non-negative whole number, got -1', ['overrides', 'memories.sram3.readWaitStates']],
      [4, 34, 'platform lpc55s69: cores.core1.nvic.priorityBits: expected a number, got the string "3"', ['overrides', 'cores.core1.nvic.priorityBits']],
      // About another path of the same section: reported at the override that caused it.
      [
        5,
        29,
        'platform lpc55s69: interconnect.priorityOrder: a fixed-priority order must name each core once (core0, core1), got none',
        ['overrides', 'interconnect.arbitration'],
      ],
    ]);
  });

  test('frequencies and sizes take units; everything else passes as written', () => {
    const s = load(yaml`
      overrides:
        clocks.cm4: 200MHz
        memories.ocram.size: 1MiB
        rpmsg.sharedMemorySize: 64KiB
        rpmsg.sharedMemoryBase: 0x202C0000
        interconnect.arbitration: fixed-priority
        interconnect.priorityOrder: cm7,cm4
      ${PING_PONG_CORES}
      stop: {time: 1ms}
    `);
    expect(s.overrides).toEqual({
      'clocks.cm4': 200_000_000,
      'memories.ocram.size': 1_048_576,
      'rpmsg.sharedMemorySize': 65_536,
      'rpmsg.sharedMemoryBase': 0x202c0000,
      'interconnect.arbitration': 'fixed-priority',
      'interconnect.priorityOrder': 'cm7,cm4',
    });
  });

  test('the unit is the one the platform declares for the parameter: a beat width and a window size take sizes', () => {
    const s = load(yaml`
      overrides:
        clocks.cm7: 0.5GHz
        memories.ocram.dataWidthBytes: 8B
        cores.cm4.addressMap.mailbox.size: 0x28
        cores.cm7.nvic.lines: 200
      ${PING_PONG_CORES}
      stop: {time: 1ms}
    `);
    expect(s.overrides).toEqual({
      'clocks.cm7': 500_000_000,
      'memories.ocram.dataWidthBytes': 8,
      'cores.cm4.addressMap.mailbox.size': 0x28,
      'cores.cm7.nvic.lines': 200,
    });
    // A parameter without a unit takes no unit: "200MHz" for a line count is the platform's type error.
    expect(
      problems(yaml`
        overrides:
          memories.ocram.dataWidthBytes: 8MHz
          cores.cm7.nvic.lines: 200MHz
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '2:34: expected a size like 64B, 4KiB or 512 (bytes), got "8MHz" [units: B, KiB, MiB, GiB]',
      '3:25: platform imxrt1170: cores.cm7.nvic.lines: expected a number, got the string "200MHz"',
    ]);
  });

  test('a value without its unit, and values the platform cannot take, are all reported together', () => {
    expect(
      problems(yaml`
        overrides:
          clocks.cm4: 400
          memories.ocram.readWaitStates: true
          memories.ocram.writeWaitStates: -2
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '2:15: expected a frequency like 400MHz, 1.8GHz or 32.768kHz, got 400 [a frequency needs a unit: 400Hz, 400kHz, 400MHz or 400GHz]',
      '3:34: platform imxrt1170: memories.ocram.readWaitStates: expected a number, got the string "true"',
      '4:35: platform imxrt1170: memories.ocram.writeWaitStates: wait states must be a non-negative whole number, got -2',
    ]);
  });

  test('a problem with no override near it is reported at overrides:', () => {
    // Shrinking the memory leaves the cores' windows running past its end.
    expect(
      problems(yaml`
        ${PING_PONG_CORES}
        overrides:
          memories.ocram.size: 256KiB
        stop: {time: 1ms}
      `),
    ).toEqual([
      '3:1: platform imxrt1170: cores.cm7.addressMap.ocram.size: 0x00080000 bytes from offset 0x00000000 run past the end of memory "ocram" (0x00040000 bytes) [the overrides together leave the platform invalid]',
      '3:1: platform imxrt1170: cores.cm4.addressMap.ocram.size: 0x00080000 bytes from offset 0x00000000 run past the end of memory "ocram" (0x00040000 bytes) [the overrides together leave the platform invalid]',
      '3:1: platform imxrt1170: rpmsg.sharedMemoryBase: the shared memory 0x202C0000..0x202C1FFF is not inside any memory window of the master cm7 [the overrides together leave the platform invalid]',
      '3:1: platform imxrt1170: cores.cm7.regions.ocram: its lines refill over the bus (refillCycles 0), but 0x202D0000..0x202DFFFF is not inside a window of cm7 onto a memory [the overrides together leave the platform invalid]',
      '3:1: platform imxrt1170: cores.cm4.regions.ocram: its lines refill over the bus (refillCycles 0), but 0x202D0000..0x202DFFFF is not inside a window of cm4 onto a memory [the overrides together leave the platform invalid]',
    ]);
  });
});

describe('placement', () => {
  test('per role, the shared memory cacheable or not', () => {
    const s = load(yaml`
      placement:
        master: {shared: cacheable}
        remote: {shared: non-cacheable}
      ${PING_PONG_CORES}
      stop: {time: 1ms}
    `);
    expect(s.placement).toEqual({ master: { shared: 'cacheable' }, remote: { shared: 'non-cacheable' } });
  });

  test('an unknown mapping, an unknown role, and cacheable on a core without a data cache', () => {
    expect(
      problems(yaml`
        platform: lpc55s69
        placement:
          master: {shared: cached}
          remote: {shared: cacheable}
          other: {}
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '3:20: unknown mapping "cached"; expected one of cacheable, non-cacheable',
      '4:20: core1 (remote) on lpc55s69 has no data cache (or it is disabled), so its shared memory cannot be cacheable',
      '5:3: unknown key "other" in placement [expected one of master, remote]',
    ]);
    // A data cache turned off by an override (true/false reach the platform as "true"/"false").
    expect(
      problems(yaml`
        overrides: {cores.cm7.caches.dcache.enabled: false}
        placement: {master: {shared: cacheable}}
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `),
    ).toEqual(['2:30: cm7 (master) on imxrt1170 has no data cache (or it is disabled), so its shared memory cannot be cacheable']);
  });
});

describe('rpmsg settings', () => {
  test('all of them, in base units', () => {
    // 2 vrings of 32 KiB and 32 buffers of 1024 B fill 96 KiB of shared memory (the default 8 KiB would make master_init return NULL).
    const s = load(yaml`
      overrides: {rpmsg.sharedMemorySize: 96KiB}
      rpmsg:
        buffer-payload-size: 1008B
        buffer-count: 16
        vring-align: 0x1000
        vring-size: 32KiB
        ms-per-interval: 2
        allow-consumed-buffers-notification: true
        clear-used-buffers: false
        use-dcache: true
      ${PING_PONG_CORES}
      stop: {time: 1ms}
    `);
    expect(s.rpmsg).toEqual({
      bufferPayloadSize: 1008,
      bufferCount: 16,
      vringAlign: 4096,
      vringSize: 32768,
      msPerInterval: 2,
      allowConsumedBuffersNotification: true,
      clearUsedBuffers: false,
      useDcache: true,
    });
  });

  test('buffer count, payload, alignment', () => {
    expect(
      problems(yaml`
        rpmsg:
          buffer-count: 3
          buffer-payload-size: 0B
          vring-align: 24
          payload-size: 64B
          ms-per-interval: 0
          clear-used-buffers: yes
        ${PING_PONG_CORES}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '2:17: the buffer count must be a power of two (RL_BUFFER_COUNT), got 3',
      '3:24: the buffer payload size must be more than 0B',
      '4:16: VRING_ALIGN must be a power of two up to 65536B, got 24B',
      '5:3: unknown key "payload-size" in rpmsg [did you mean "buffer-payload-size"?]',
      '6:20: expected a whole number, at least 1, got 0',
      '7:23: expected true or false, got "yes"',
    ]);
    expect(problems(`rpmsg: {buffer-count: 65536}\n${PING_PONG_CORES}stop: {time: 1ms}\n`)).toEqual([
      '1:23: expected a whole number from 1 to 32768, got 65536',
    ]);
  });
});

describe('apps', () => {
  test('a ping-pong app: params given once apply to both halves', () => {
    const s = load(yaml`
      name: pp
      platform: imxrt1170
      master:
        app: ping-pong
        params: {count: 100, payload-size: 4B, remote-endpoint: 31, channel: demo}
      remote:
        app: ping-pong
        environment: bare-metal
      stop: {time: 100ms, messages: 200}
    `);
    const params = { count: 100, payloadSize: 4, remoteEndpoint: 31, channel: 'demo' };
    expect(s).toEqual<Scenario>({
      file: 'test.yaml',
      name: 'pp',
      platform: 'imxrt1170',
      overrides: {},
      rpmsg: {},
      master: { firmware: { kind: 'app', app: 'ping-pong', params }, environment: 'bare-metal' },
      remote: { firmware: { kind: 'app', app: 'ping-pong', params }, environment: 'bare-metal' },
      stop: { time: { ns: 100_000_000 }, messages: 200 },
      expect: {},
    });
  });

  test('flood, str-echo and ns-demo parameters', () => {
    const flood = load(yaml`
      master: {app: flood}
      remote: {app: flood, params: {count: 1000, payload-size: 1KiB, stop-at-no-mem: true, consumer-cycles: 500, log: false}}
      stop: {time: 1s}
    `);
    expect(flood.master.firmware).toEqual({
      kind: 'app',
      app: 'flood',
      params: { count: 1000, payloadSize: 1024, stopAtNoMem: true, consumerCycles: 500, log: false },
    });
    const echo = load(`master: {app: str-echo, params: {strings: [hello, "42"]}}\nremote: {app: str-echo, params: {strings: [hello, "42"]}}\nstop: {time: 1ms}\n`);
    expect(echo.remote.firmware).toEqual({ kind: 'app', app: 'str-echo', params: { strings: ['hello', '42'] } });
    const ns = load(`master: {app: ns-demo, params: {names: [a, b]}}\nremote: {app: ns-demo}\nstop: {time: 1ms}\n`);
    expect(ns.master.firmware).toEqual({ kind: 'app', app: 'ns-demo', params: { names: ['a', 'b'] } });
  });

  test('params: required keys, unknown keys, types and sizes', () => {
    expect(
      problems(yaml`
        master:
          app: ping-pong
          params: {count: 0, payloadSize: 4B}
        remote: {app: ping-pong}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '3:19: expected a whole number, at least 1, got 0',
      '3:22: unknown key "payloadSize" in ping-pong\'s params [did you mean "payload-size"?]',
    ]);
    expect(problems(`master: {app: ping-pong, params: {count: 1, payload-size: 2B}}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n`)).toEqual([
      '1:59: payload-size must be at least 4B (the counter is 4 bytes), got "2B"',
    ]);
    expect(problems(`master: {app: flood, params: {count: 1}}\nremote: {app: flood}\nstop: {time: 1ms}\n`)).toEqual([
      '1:22: missing required key "payload-size" in flood\'s params',
    ]);
    expect(problems(`master: {app: str-echo, params: {strings: []}}\nremote: {app: str-echo}\nstop: {time: 1ms}\n`)).toEqual([
      '1:43: expected a list of strings (at least one), got an empty list',
    ]);
    expect(problems(`master: {app: ns-demo, params: {names: [this-name-is-longer-than-32-bytes]}}\nremote: {app: ns-demo}\nstop: {time: 1ms}\n`)).toEqual([
      '1:41: a name-service name is at most 32 bytes (RL_NS_NAME_SIZE), "this-name-is-longer-than-32-bytes" is 33',
    ]);
  });

  test('the two halves: params somewhere, the same app, equal params', () => {
    expect(problems('master: {app: ping-pong}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n')).toEqual([
      '1:15: ping-pong needs params: count, payload-size [give them on either core]',
    ]);
    expect(problems('master: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: flood}\nstop: {time: 1ms}\n')).toEqual([
      "2:15: the remote runs flood but the master runs ping-pong [an app's two halves run together: name the same app on both cores, or give one core steps]",
    ]);
    expect(
      problems('master: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong, params: {count: 2, payload-size: 4B}}\nstop: {time: 1ms}\n'),
    ).toEqual(["2:26: the remote's params differ from the master's [both halves of ping-pong share one set of params; give them on one core]"]);
    // An app on one core, steps on the other: that core's params are needed.
    expect(problems('master: {app: flood}\nremote: {steps: [init]}\nstop: {time: 1ms}\n')).toEqual(['1:15: flood needs params: count, payload-size']);
  });

  test('exactly one of app, steps or module', () => {
    expect(
      problems(yaml`
        master:
          app: ping-pong
          steps: [init]
        remote:
          environment: rtos
        stop: {time: 1ms}
      `),
    ).toEqual([
      '3:3: master has both app (line 2) and steps; give one of app, steps or module',
      '4:1: remote needs one of app, steps or module [app: a built-in app; steps: a list of rpmsg-lite calls; module: your own firmware file]',
    ]);
    expect(problems('master: {steps: [init], params: {count: 1}, export: x}\nremote: {app: pingpong}\nstop: {time: 1ms}\n')).toEqual([
      '1:25: params belong to an app; this core has no app',
      '1:45: export names a program of a module; this core has no module',
      '2:15: unknown app "pingpong"; expected one of ping-pong, str-echo, flood, ns-demo [did you mean "ping-pong"?]',
    ]);
    expect(problems(`master: {app: ping-pong, params: {count: 1, payload-size: 4B}, environment: freertos}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n`)).toEqual([
      '1:77: unknown environment "freertos"; expected one of bare-metal, rtos, zephyr [did you mean "rtos"?]',
    ]);
  });
});

describe('cost overrides', () => {
  test("a core's costs, checked against the table of its type (after the platform overrides)", () => {
    const s = load(yaml`
      platform: lpc55s69
      master: {app: ping-pong, params: {count: 1, payload-size: 4B}, costs: {rl.sendMaster: 299, cyclesPerInstruction: 1}}
      remote: {app: ping-pong, costs: {rtos.contextSwitch: 90}}
      stop: {time: 1ms}
    `);
    expect(s.master.costs).toEqual({ 'rl.sendMaster': 299, cyclesPerInstruction: 1 });
    expect(s.remote.costs).toEqual({ 'rtos.contextSwitch': 90 });
  });

  test('unknown paths, values that are not counts, a fraction of a cycle', () => {
    expect(
      problems(yaml`
        platform: lpc55s69
        master: {app: ping-pong, params: {count: 1, payload-size: 4B}, costs: {rl.sendMastr: 1, port.notify: -2}}
        remote: {app: ping-pong, costs: [1], environment: rtos}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '2:72: no cost "rl.sendMastr" in the table of core0 (cortex-m33) [did you mean "rl.sendMaster"?]',
      '2:102: port.notify: -2 is not a count (a finite number of 0 or more instructions)',
      '3:33: expected a map of costs (path: value), got a list [e.g. rl.sendMaster: 160]',
    ]);
    expect(
      problems(yaml`
        platform: lpc55s69
        master: {app: ping-pong, params: {count: 1, payload-size: 4B}, costs: {rtos.contextSwitch: 1.5, rl.sendRemote: x, isr: 3}}
        remote: {app: ping-pong}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '2:92: rtos.contextSwitch: 1.5 is not a whole number of cycles',
      '2:112: expected a number (in the entry\'s unit), got "x"',
      '2:115: no cost "isr" in the table of core0 (cortex-m33) [nearest paths: port.isr, rl.deinit, rl.nsBind]',
    ]);
  });
});

describe('modules', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    writeFileSync(join(dir, 'fw.ts'), 'export function* master() {}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a path relative to the scenario file; the export defaults to the role', () => {
    const s = load(`master: {module: ./fw.ts}\nremote: {module: fw.ts, export: other, environment: rtos}\nstop: {time: 1ms}\n`, join(dir, 's.yaml'));
    const file = join(dir, 's.yaml');
    const at = (line: number, column: number) => ({ file, line, column });
    // `at`: the values of module: and export: (the module's for both with no export:), for later messages
    expect(s.master).toEqual({ firmware: { kind: 'module', path: join(dir, 'fw.ts'), export: 'master', at: { module: at(1, 18), export: at(1, 18) } }, environment: 'bare-metal' });
    expect(s.remote).toEqual({ firmware: { kind: 'module', path: join(dir, 'fw.ts'), export: 'other', at: { module: at(2, 18), export: at(2, 33) } }, environment: 'rtos' });
  });

  test('the file must exist and be .ts or .js; the export is an identifier', () => {
    const file = join(dir, 's.yaml');
    expect(problems(`master: {module: ./missing.ts}\nremote: {module: fw.py, export: 3}\nstop: {time: 1ms}\n`, file)).toEqual([
      `1:18: no file "./missing.ts" [module paths are relative to the scenario file's folder (${dir})]`,
      '2:18: a firmware module is a .ts or .js file, got "fw.py"',
      '2:33: expected an export name, got 3',
    ]);
  });
});

describe('steps', () => {
  test('every kind of step, in base units, with its location', () => {
    const s = load(
      yaml`
        platform: imxrt1170
        master:
          steps:
            - mark: before-init
            - init
            - ns-bind
            - create-endpoint: {name: tx, addr: 1}
            - create-endpoint: {name: held, on-receive: hold}
            - wait-link-up: {timeout: 10ms}
            - send: {from: tx, to: 30, size: 64B, repeat: 10, interval: 10us, timeout: 0}
            - send: {from: tx, to: "ns:sensor", data: hello}
            - send-nocopy: {from: tx, to: 30, size: 1KiB, repeat: 2, interval: 400 cycles@cm7, timeout: 5ms}
            - receive: {endpoint: held, count: 3, timeout: 1ms}
            - release: held
            - release: {endpoint: held, count: 2}
            - ns-announce: {endpoint: tx, name: master-tx, flags: destroy}
            - destroy-endpoint: tx
            - delay: 2.5us
            - compute: 3000
            - compute: {cycles: 10}
            - mark: {label: done}
        remote:
          environment: rtos
          steps:
            - init
            - wait-link-up
            - create-endpoint: {name: rx, addr: 30, on-receive: queue}
            - ns-announce: {endpoint: rx, name: sensor}
            - queue-receive: {endpoint: rx, count: 11}
            - receive: {endpoint: rx}
            - destroy-endpoint: {endpoint: rx}
            - create-endpoint: {name: rx}
            - delay: {duration: 1ms}
        stop: {time: 5ms}
      `,
      's.yaml',
    );
    expect(s.master.firmware).toEqual({
      kind: 'steps',
      steps: [
        { kind: 'mark', label: 'before-init' },
        { kind: 'init' },
        { kind: 'ns-bind' },
        { kind: 'create-endpoint', name: 'tx', addr: 1, onReceive: 'release' },
        { kind: 'create-endpoint', name: 'held', addr: 'any', onReceive: 'hold' },
        { kind: 'wait-link-up', timeoutMs: 10 },
        { kind: 'send', from: 'tx', to: 30, size: 64, repeat: 10, interval: { ns: 10_000 }, timeoutMs: 0 },
        { kind: 'send', from: 'tx', to: 'ns:sensor', data: 'hello', repeat: 1, timeoutMs: 'block' },
        { kind: 'send-nocopy', from: 'tx', to: 30, size: 1024, repeat: 2, interval: { cycles: 400, core: 'cm7' }, timeoutMs: 5 },
        { kind: 'receive', endpoint: 'held', count: 3, timeout: { ns: 1_000_000 } },
        { kind: 'release', endpoint: 'held', count: 'all' },
        { kind: 'release', endpoint: 'held', count: 2 },
        { kind: 'ns-announce', endpoint: 'tx', name: 'master-tx', flags: 'destroy' },
        { kind: 'destroy-endpoint', endpoint: 'tx' },
        { kind: 'delay', duration: { ns: 2500 } },
        { kind: 'compute', cycles: 3000 },
        { kind: 'compute', cycles: 10 },
        { kind: 'mark', label: 'done' },
      ],
      stepLocations: Array.from({ length: 18 }, (_, i) => ({ file: 's.yaml', line: 4 + i, column: 7 })),
    });
    expect(s.remote).toEqual({
      environment: 'rtos',
      firmware: {
        kind: 'steps',
        steps: [
          { kind: 'init' },
          { kind: 'wait-link-up', timeoutMs: 'block' },
          { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'queue' },
          { kind: 'ns-announce', endpoint: 'rx', name: 'sensor', flags: 'create' },
          { kind: 'queue-receive', endpoint: 'rx', count: 11, timeoutMs: 'block' },
          { kind: 'receive', endpoint: 'rx', count: 1 },
          { kind: 'destroy-endpoint', endpoint: 'rx' },
          { kind: 'create-endpoint', name: 'rx', addr: 'any', onReceive: 'release' },
          { kind: 'delay', duration: { ns: 1_000_000 } },
        ],
        stepLocations: Array.from({ length: 9 }, (_, i) => ({ file: 's.yaml', line: 25 + i, column: 7 })),
      },
    });
  });

  test('endpoints: defined before use, on this core, not destroyed', () => {
    expect(
      problems(yaml`
        master:
          steps:
            - init
            - create-endpoint: {name: tx}
            - send: {from: rx, to: 30, size: 4B}
            - send: {from: txx, to: 30, size: 4B}
            - destroy-endpoint: tx
            - send: {from: tx, to: 30, size: 4B}
            - receive: {endpoint: later}
            - create-endpoint: {name: later}
            - create-endpoint: {name: later}
        remote:
          steps:
            - init
            - create-endpoint: {name: rx, addr: 30}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '5:20: endpoint "rx" is not defined in the master\'s steps ["rx" is the remote\'s; each core\'s steps name their own endpoints]',
      '6:20: endpoint "txx" is not defined [did you mean "tx"?]',
      '8:20: endpoint "tx" was destroyed at line 7',
      '9:27: endpoint "later" is used before it is defined [it is created at line 10; steps run in order]',
      '11:31: endpoint "later" is already defined at line 10',
    ]);
  });

  test('init comes first, once; the before-init error is said once per core', () => {
    expect(
      problems(yaml`
        master:
          steps:
            - delay: 1us
            - create-endpoint: {name: tx}
            - send: {from: tx, to: 30, size: 4B}
        remote:
          steps: [init, ns-bind, init, ns-bind]
        stop: {time: 1ms}
      `),
    ).toEqual([
      '4:7: create-endpoint before init: rpmsg-lite is not initialised yet [add "- init" before this step in the master\'s steps]',
      '7:26: init again: the remote is already initialised at line 7',
      '7:32: ns-bind again: the remote already binds the name service at line 7',
    ]);
  });

  test('step shapes: unknown, bare with required fields, several keys, wrong field', () => {
    expect(
      problems(yaml`
        master:
          steps:
            - init
            - sned: {from: tx}
            - send
            - send:
              from: tx
              to: 30
            - create-endpoint: {name: tx, address: 5}
            - delay: {time: 1us}
            - compute: 2.5
            - [init]
            - ns-bind: {now: true}
            - receive: tx
        remote: {steps: [init]}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '4:7: unknown step "sned" [did you mean "send"?]',
      '5:7: the send step needs from and to [e.g. - send: {from: …, to: …}]',
      '6:7: a step is a map with one key, the step\'s name; this one has 3: send, from, to [indent the fields of "send" under it]',
      '9:35: unknown key "address" in the create-endpoint step [did you mean "addr"?]',
      '10:7: missing required key "duration" in the delay step',
      '10:15: unknown key "time" in the delay step [expected one of duration]',
      "11:16: expected a whole number, at least 0, got 2.5 [cycles of the master's clock]",
      '12:7: expected a step like "- init" or "- send: {…}", got a list',
      '13:17: unknown key "now" in the ns-bind step [the ns-bind step takes no fields]',
      '14:16: expected a map for the receive step, got "tx" [keys: endpoint, count, timeout]',
    ]);
  });

  test('send: size or data, destinations, repeat, timeouts', () => {
    expect(
      problems(yaml`
        master:
          steps:
            - init
            - create-endpoint: {name: tx}
            - send: {from: tx, to: 30}
            - send: {from: tx, to: 30, size: 4B, data: abcd}
            - send: {from: tx, to: "ns:sensor", size: 4B}
            - send: {from: tx, to: rx, size: 4B}
            - send: {from: tx, to: -1, size: 4B, repeat: 0, timeout: 5}
            - send-nocopy: {from: tx, to: 30}
            - ns-bind
            - send: {from: tx, to: "ns:sensor", size: 4 KB}
        remote:
          steps:
            - init
            - create-endpoint: {name: rx, addr: 30}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '5:7: the send step needs size or data [size: 64B sends 64 bytes of a pattern; data: "hello" sends that text]',
      '6:48: give size or data, not both [the size of data is its length in UTF-8 bytes]',
      '7:28: "ns:sensor" needs an ns-bind step earlier in the master\'s steps [announcements are only recorded after rpmsg_ns_bind]',
      '8:28: expected an endpoint address or "ns:<name>", got "rx" ["rx" is an endpoint of the remote: use its address, or the name it announces as ns:<name>]',
      '9:28: expected an endpoint address from 0 to 0xFFFFFFFE, got -1',
      '9:50: expected a whole number, at least 1, got 0',
      '9:62: expected a timeout like 10ms, 0 (do not wait) or block, got 5 [a timeout other than 0 needs a unit: 5ms]',
      '10:7: missing required key "size" in the send-nocopy step',
      '12:47: expected a size like 64B, 4KiB or 512 (bytes), got "4 KB" [write KiB for multiples of 1024 bytes ("KB" is ambiguous)]',
    ]);
  });

  test('queues need the RTOS; release needs a hold endpoint; queue-receive a queue endpoint', () => {
    expect(
      problems(yaml`
        master:
          steps:
            - init
            - create-endpoint: {name: q, on-receive: queue}
            - create-endpoint: {name: plain}
            - queue-receive: {endpoint: plain}
            - release: plain
        remote:
          environment: rtos
          steps:
            - init
            - create-endpoint: {name: plain}
            - queue-receive: {endpoint: plain}
        stop: {time: 1ms}
      `),
    ).toEqual([
      '4:46: on-receive: queue needs environment: rtos or zephyr on the master (it is bare-metal) [rpmsg_queue blocks a task until a message arrives]',
      '6:7: queue-receive needs environment: rtos or zephyr on the master (it is bare-metal) [rpmsg_queue_recv blocks a task until a message arrives]',
      '7:16: release needs an endpoint that holds its messages; "plain" has on-receive: release [create it with on-receive: hold (line 5)]',
      '13:33: queue-receive needs a queue endpoint; "plain" has on-receive: release [create it with on-receive: queue (line 12)]',
    ]);
  });

  test('an empty list of steps', () => {
    expect(problems('master: {steps: []}\nremote: {steps: init}\nstop: {time: 1ms}\n')).toEqual([
      '1:17: expected a list of steps, got an empty list [e.g. steps: [init, {create-endpoint: {name: ept}}]]',
      '2:17: expected a list of steps, got "init" [e.g. steps: [init, {create-endpoint: {name: ept}}]]',
    ]);
  });
});

describe('stop', () => {
  test('time and/or messages, at least one', () => {
    expect(load(`${PING_PONG_CORES}stop: {messages: 5}\n`).stop).toEqual({ messages: 5 });
    expect(load(`${PING_PONG_CORES}stop: {time: 3000 cycles@cm4}\n`).stop).toEqual({ time: { cycles: 3000, core: 'cm4' } });
    expect(problems(`${PING_PONG_CORES}stop: {}\n`)).toEqual(['3:1: stop needs time, messages or both [e.g. stop: {time: 10ms}]']);
    expect(problems(`${PING_PONG_CORES}stop:\n`)).toEqual(['3:1: expected a map for stop, got nothing [keys: time, messages]']);
    expect(problems(`${PING_PONG_CORES}stop: {time: 0ms, messages: 0}\n`)).toEqual([
      '3:14: the stop time must be more than 0',
      '3:29: expected a whole number, at least 1, got 0',
    ]);
  });
});

describe('expect', () => {
  test('every expectation, in base units', () => {
    const s = load(yaml`
      ${PING_PONG_CORES}
      stop: {time: 1ms}
      expect:
        messages: {delivered: 20, master-to-remote: 10, remote-to-master: 10}
        codes: {RL_SUCCESS: 20, RL_ERR_NO_MEM: 0}
        latency:
          one-way:
            p50: {at-least: 1us, at-most: 2.5us}
            max: {at-most: 3000 cycles@cm7}
          send-return: {mean: {at-least: 100ns}}
        link-up: {master: true, remote: false}
      trace:
        kinds: [rl-call, rl-return]
    `);
    expect(s.expect).toEqual({
      messages: { delivered: 20, masterToRemote: 10, remoteToMaster: 10 },
      codes: { RL_SUCCESS: 20, RL_ERR_NO_MEM: 0 },
      latency: {
        oneWay: { p50: { min: { ns: 1000 }, max: { ns: 2500 } }, max: { max: { cycles: 3000, core: 'cm7' } } },
        sendReturn: { mean: { min: { ns: 100 } } },
      },
      linkUp: { master: true, remote: false },
    });
    expect(s.trace).toEqual({ kinds: ['rl-call', 'rl-return'] });
  });

  test('code names, bounds, cores and record kinds', () => {
    expect(
      problems(yaml`
        ${PING_PONG_CORES}
        stop: {time: 1ms}
        expect:
          codes: {RL_ERR_NOMEM: 1, NOT_READY: 1, RL_SUCCESS: many}
          latency:
            one-way:
              p99: {at-most: 5 cycles@m4}
              p95: {at-most: 1us}
              min: {}
              max: {at-least: 2us, at-most: 1us}
            round-trip: {}
          link-up: {both: true}
        trace: {kinds: [bus, rl-sned, bus]}
      `),
    ).toEqual([
      '5:11: unknown return code "RL_ERR_NOMEM" [did you mean "RL_ERR_NO_MEM"?]',
      '5:28: unknown return code "NOT_READY" [did you mean "RL_NOT_READY"?]',
      '5:54: expected a whole number, at least 0, got "many"',
      '8:22: no core named "m4" on imxrt1170; cycles count on cm7 or cm4 [did you mean "cm4"?]',
      '9:7: unknown key "p95" in expect.latency.one-way [did you mean "p99"?]',
      '10:7: expect.latency.one-way.min needs at-least, at-most or both [e.g. min: {at-most: 5us}]',
      '11:23: at-least is more than at-most: no value can pass',
      '12:5: unknown key "round-trip" in expect.latency [expected one of one-way, send-return]',
      '13:13: unknown key "both" in expect.link-up [expected one of master, remote]',
      '14:22: unknown record kind "rl-sned"; expected one of bus, burst, bus-fault, irq-line, irq-pending, irq-entry, irq-late-arrival, handler-start, handler-end, exception-return, sleep, wake, lockup, rl-call, rl-return, rl-enqueue, rl-deliver, rl-notify, rl-callback-return, rl-link-up, gpio, fault, watchdog',
      '14:31: record kind "bus" is listed twice',
    ]);
  });
});

describe('a core build: opt and libc', () => {
  test('read per core; a core without them keeps the defaults (no build)', () => {
    const s = load(yaml`
      platform: lpc54114
      master: {app: ping-pong, params: {count: 1, payload-size: 4B}, opt: O2}
      remote: {app: ping-pong, libc: c-byte-loop, costs: {libc.memcpyPerByte: 5}}
      stop: {time: 1ms}
    `);
    expect(s.master.build).toEqual({ opt: 'O2' });
    expect(s.remote.build).toEqual({ libc: 'c-byte-loop' });
    expect(s.remote.costs).toEqual({ 'libc.memcpyPerByte': 5 });
    expect(load(PING_PONG_CORES + 'stop: {time: 1ms}\n').master.build).toBeUndefined();
  });

  test('a bad value is an error at its place, with the valid values', () => {
    expect(
      problems(yaml`
        master: {app: ping-pong, params: {count: 1, payload-size: 4B}, opt: O1}
        remote: {app: ping-pong, libc: glibc}
        stop: {time: 1ms}
      `),
    ).toEqual([
      // "O1" starts at column 69 of line 1 (after `…, opt: `), "glibc" at column 32 of line 2.
      '1:69: unknown opt "O1"; expected one of O2, O3, Os [did you mean "O2"?]',
      '2:32: unknown libc "glibc"; expected one of newlib, newlib-nano, picolibc, picolibc-release, c-word-loop, c-byte-loop',
    ]);
  });
});

describe('placement and environments against the platform', () => {
  test('a region that does not exist, private data in read-only flash, Zephyr where rpmsg-lite has no Zephyr port', () => {
    expect(problems('platform: imxrt1170\nplacement: {master: {code: itcmm}}\nmaster: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n')).toEqual([
      '2:28: unknown region of cm7 (imxrt1170) "itcmm"; expected one of itcm, dtcm, flexspi, ocram [did you mean "itcm"?]',
    ]);
    expect(problems('platform: imxrt1170\nplacement: {master: {data: flexspi}}\nmaster: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n')).toEqual([
      '2:28: region "flexspi" is xip, read-only: private data (stack, .data, .bss) needs RAM',
    ]);
    expect(problems('platform: imx8mm\nmaster: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong, environment: zephyr}\nstop: {time: 1ms}\n')).toEqual([
      '3:39: rpmsg-lite has no zephyr-ipm platform port for imx8mm, so zephyr cannot run there [environments on imx8mm: bare-metal, rtos]',
    ]);
  });
});
