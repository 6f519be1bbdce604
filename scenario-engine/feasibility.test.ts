// What `validate` refuses because a run would (feasibility.ts): each case from issue 12's
// reproducers, which `validate` accepted and `run` then ended with exit 70 or 1.

import { withFaultArguments } from './faults';
import { loadScenario } from './load';
import { runScenario } from './run';

/** A scenario file of lines; each error as "line:column: message [note]". */
function problems(...lines: string[]): string[] {
  const { scenario, errors } = loadScenario('test.yaml', `${lines.join('\n')}\n`);
  if (errors.length > 0) expect(scenario).toBeUndefined();
  return errors.map((e) => `${e.line}:${e.column}: ${e.message}${e.note === undefined ? '' : ` [${e.note}]`}`);
}

const PING_PONG = ['master: {app: ping-pong, params: {count: 1, payload-size: 4B}}', 'remote: {app: ping-pong}'];
const SHMEM_NOTE = '[the shared memory: 0x202C0000, 8192 B (rpmsg.sharedMemoryBase, rpmsg.sharedMemorySize of the platform)]';
const RANGE = 'the simulated time ends at 2^53 ticks of 1/996 GHz on imxrt1170, 9043.372 s';

describe('the tick range', () => {
  test('fault times and recovery-within too (validate passed them, run exited 70), and a --fault at the run', () => {
    expect(
      problems('platform: imxrt1170', ...PING_PONG, 'stop: {time: 1ms}', 'faults: [{kind: halt, core: remote, at: 100000s}, {kind: hold-bus, at: 1us, for: 9044s}]', 'expect: {recovery-within: 100000s}'),
    ).toEqual([`5:41: 100000s is past the tick range: ${RANGE}`, `5:82: 9044s is past the tick range: ${RANGE}`, `6:27: 100000s is past the tick range: ${RANGE}`]);
    const { scenario } = loadScenario('test.yaml', `${['platform: imxrt1170', ...PING_PONG, 'stop: {time: 1ms}'].join('\n')}\n`);
    const added = withFaultArguments(scenario!, ['{kind: late-boot, core: remote, at: 100000s}']).scenario!;
    expect(() => runScenario(added)).toThrow(`--fault 1:1:1: late-boot fault: 100000000000000 ns is past the tick range: ${RANGE}`);
  });

  test('stop: {time: 10000s} on imxrt1170 is past 2^53 ticks of its 996 GHz tick', () => {
    expect(problems('platform: imxrt1170', ...PING_PONG, 'stop: {time: 10000s}')).toEqual([`4:14: 10000s is past the tick range: ${RANGE}`]);
  });

  test('the last time in range is accepted, the next second is not', () => {
    expect(problems('platform: imxrt1170', ...PING_PONG, 'stop: {time: 9043s}')).toEqual([]);
    expect(problems('platform: imxrt1170', ...PING_PONG, 'stop: {time: 9044s}')).toEqual([`4:14: 9044s is past the tick range: ${RANGE}`]);
  });

  test('bounds, delays, intervals and cycle counts too, each at its value', () => {
    expect(
      problems(
        'platform: imxrt1170',
        'master:',
        '  steps:',
        '    - init',
        '    - create-endpoint: {name: tx}',
        '    - compute: 9007199254740991',
        '    - delay: 2500000 cycles@cm7',
        '    - delay: 4000000000000 cycles@cm4',
        '    - send: {from: tx, to: 40, size: 4B, repeat: 2, interval: 10000s}',
        'remote: {steps: [init]}',
        'stop: {time: 1ms}',
        'expect: {latency: {one-way: {max: {at-most: 20000s}}}}',
      ),
    ).toEqual([
      `6:16: 9007199254740991 cycles of cm7 is past the tick range: ${RANGE}`,
      `8:14: 4000000000000 cycles@cm4 is past the tick range: ${RANGE}`,
      `9:63: 10000s is past the tick range: ${RANGE}`,
      `12:45: 20000s is past the tick range: ${RANGE}`,
    ]);
  });

  test("an app's cycles parameter counts on the core that spends them (flood's consumer-cycles: the remote's)", () => {
    expect(
      problems('platform: imxrt1170', 'master: {app: flood, params: {count: 1, payload-size: 4B, consumer-cycles: 4000000000000}}', 'remote: {app: flood}', 'stop: {time: 1ms}'),
    ).toEqual([`2:76: 4000000000000 cycles of cm4 is past the tick range: ${RANGE}`]);
    // 4 × 10^12 cycles are 10000 s at the M4's 400 MHz (4016 s at the M7's 996 MHz, in range); 3 × 10^12 are 7500 s.
    expect(problems('platform: imxrt1170', 'master: {app: flood, params: {count: 1, payload-size: 4B, consumer-cycles: 3000000000000}}', 'remote: {app: flood}', 'stop: {time: 1ms}')).toEqual([]);
  });

  test('a cost entry past the range on its own (the run failed at the first call that charged it)', () => {
    expect(problems('platform: imxrt1170', 'master: {app: ping-pong, params: {count: 1, payload-size: 4B}, costs: {rl.sendMaster: 9007199254740991}}', 'remote: {app: ping-pong}', 'stop: {time: 1ms}')).toEqual([
      `2:87: rl.sendMaster: 9007199254740991, as cycles of cm7, is past the tick range: ${RANGE}`,
    ]);
  });

  test("rpmsg-lite's timeouts are a uint32_t of milliseconds (a 1 GHz tick holds more)", () => {
    const scenario = (timeout: string) =>
      problems(
        'platform: lpc55s69',
        'overrides: {clocks.main: 100MHz}',
        'master: {steps: [init, {create-endpoint: {name: tx}}, {send: {from: tx, to: 40, size: 4B, timeout: ' + timeout + '}}]}',
        'remote: {steps: [init]}',
        'stop: {time: 1ms}',
      );
    expect(scenario('4294967294ms')).toEqual([]);
    expect(scenario('4294967295ms')).toEqual([
      '3:100: rpmsg-lite timeouts are a uint32_t of milliseconds below RL_BLOCK (0xFFFFFFFF), at most 4294967294ms, got 4294967295ms [timeout: block waits for ever]',
    ]);
  });
});

describe('the shared memory', () => {
  test('rpmsg: {buffer-count: 32768}: master_init would return NULL (the apps then failed on the NULL instance)', () => {
    expect(problems('platform: imxrt1170', 'rpmsg: {buffer-count: 32768}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
      `2:23: rpmsg_lite_master_init would return NULL: 8192 B of shared memory hold the 2 vrings (VRING_SIZE 852000 B each) and 0 buffers of 512 B, not 2 × RL_BUFFER_COUNT = 65536 ${SHMEM_NOTE}`,
    ]);
  });

  test('imxrt1170 with 16 buffers of the default 496-byte payload: 14 fit', () => {
    expect(problems('platform: imxrt1170', 'rpmsg: {buffer-count: 16}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
      `2:23: rpmsg_lite_master_init would return NULL: 8192 B of shared memory hold the 2 vrings (VRING_SIZE 448 B each) and 14 buffers of 512 B, not 2 × RL_BUFFER_COUNT = 32 ${SHMEM_NOTE}`,
    ]);
    // 4 per direction fit: 2 × VRING_SIZE 0xF0 + 8 × 512 B = 4576 B.
    expect(problems('platform: imxrt1170', 'rpmsg: {buffer-count: 4}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([]);
  });

  test('a shared memory made too small by the platform override: at the override', () => {
    expect(problems('platform: imxrt1170', 'overrides: {rpmsg.sharedMemorySize: 1}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
      '2:37: rpmsg_lite_master_init would return NULL: 1 B of shared memory hold the 2 vrings (VRING_SIZE 80 B each) and 0 buffers of 512 B, not 2 × RL_BUFFER_COUNT = 4 ' +
        '[the shared memory: 0x202C0000, 1 B (rpmsg.sharedMemoryBase, rpmsg.sharedMemorySize of the platform)]',
    ]);
  });

  test('a 2^52-byte vring-size (past the 32-bit address space) does not fit either', () => {
    expect(problems('platform: imxrt1170', 'rpmsg: {vring-size: 4503599627370496}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
      `2:21: rpmsg_lite_master_init would return NULL: 8192 B of shared memory hold the 2 vrings (VRING_SIZE 4503599627370496 B each) and 0 buffers of 512 B, not 2 × RL_BUFFER_COUNT = 4 ${SHMEM_NOTE}`,
    ]);
  });

  test('vring-align: 4KiB without vring-size: the rings overlap (both used rings were at 0x1000), with the addresses', () => {
    expect(problems('platform: imxrt1170', 'rpmsg: {vring-align: 4KiB}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
      '2:22: the vrings overlap: vring 0 takes 0x202C0000..0x202C101D (vring_size(2, VRING_ALIGN 0x1000) = 4126 B) but vring 1 starts at 0x202C0050, ' +
        'and vring 1 (to 0x202C106D) runs into the buffers at 0x202C00A0 (VRING_SIZE 0x50) [give rpmsg.vring-size of at least 4126 B (0x101E)]',
    ]);
    // With room for the rings (and the shared memory for them and the buffers) it runs.
    expect(problems('platform: imxrt1170', 'overrides: {rpmsg.sharedMemorySize: 32KiB}', 'rpmsg: {vring-align: 4KiB, vring-size: 0x2000}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([]);
  });
});

test('a link id above the port\'s RL_PLATFORM_HIGHEST_LINK_ID: init would return NULL, at the override', () => {
  expect(problems('platform: imxrt1170', 'overrides: {rpmsg.linkId: 5}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
    "2:27: rpmsg_lite_master_init would return NULL: link id 5 is above RL_PLATFORM_HIGHEST_LINK_ID (0) of the master's platform port",
  ]);
});

describe("the models' own limits", () => {
  const rtos = (clock: string) =>
    problems('platform: imxrt1170', `overrides: {clocks.cm4: ${clock}}`, 'master: {steps: [init]}', 'remote: {environment: rtos, steps: [init]}', 'stop: {time: 1ms}');

  test("a 17 GHz clock on a core with the RTOS: SysTick's reload does not fit 24 bits", () => {
    expect(rtos('17GHz')).toEqual([
      "2:25: cm4 (remote) runs at 17 GHz: the rtos tick of 1000 Hz needs a SysTick reload of 17000000 cycles, and SysTick's 24-bit counter counts 1 to 2^24 = 16777216 cycles " +
        "[with rtos, cm4's clock must be from 1 kHz to 16.777216 GHz; give another clock, or environment: bare-metal]",
    ]);
    expect(rtos('16GHz')).toEqual([]);
  });

  test('below the tick rate the reload is 0', () => {
    expect(rtos('999Hz')).toEqual([
      "2:25: cm4 (remote) runs at 999 Hz: the rtos tick of 1000 Hz needs a SysTick reload of 0 cycles, and SysTick's 24-bit counter counts 1 to 2^24 = 16777216 cycles " +
        "[with rtos, cm4's clock must be from 1 kHz to 16.777216 GHz; give another clock, or environment: bare-metal]",
    ]);
  });

  test('a cost in cycles past the tick range, at its override (the build failed with a SchedulingError: exit 70)', () => {
    expect(problems('platform: imxrt1170', 'overrides: {cores.cm7.caches.dcache.hitCycles: 9007199254740991}', ...PING_PONG, 'stop: {time: 1ms}')).toEqual([
      '2:48: imxrt1170 cannot be built as configured: cores.cm7.caches.dcache.hitCycles: 9007199254740991 cycles of cm7 is not a representable span (0 .. 2^53 ticks)',
    ]);
  });

  test('the platform clock (400 MHz) fits', () => {
    expect(rtos('400MHz')).toEqual([]);
  });
});
