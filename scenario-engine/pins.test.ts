// GPIO pins in scenarios: pin-high/pin-low steps, pin-intervals measured in the summary and
// bounded in expect, and the loader's errors for pins and intervals (with file:line:column).

import { loadScenario } from './load';
import { runScenario } from './run';
import type { Scenario } from './types';
import { MemorySink } from '../sim/trace/trace';

/** A scenario whose remote (the CM4 of the i.MX RT1170) pulses its pin around a computation. */
function pulseScenario(remoteSteps: string, extra = ''): string {
  return [
    'platform: imxrt1170',
    'master:',
    '  steps: [{compute: 0}]',
    'remote:',
    `  steps: ${remoteSteps}`,
    'stop: {time: 100us}',
    'pin-intervals:',
    '  pulse: {from: {pin: cm4, edge: rising}, to: {pin: cm4, edge: falling}}',
    extra,
  ].join('\n');
}

function load(text: string): Scenario {
  const { scenario, errors } = loadScenario('pins.yaml', text);
  expect(errors).toEqual([]);
  return scenario!;
}

function errorsOf(text: string): string[] {
  return loadScenario('pins.yaml', text).errors.map((e) => `${e.line}:${e.column} ${e.message}${e.note === undefined ? '' : ` (${e.note})`}`);
}

describe('a pin pulse around 1000 cycles of computation, by hand', () => {
  // i.MX RT1170, the CM4 at 400 MHz and the peripheral bus (busLpsr) at 160 MHz; the kernel
  // tick is 1/996 GHz, so a CM4 cycle is 2490 ticks and a bus cycle 6225. Each pin write is
  // GPIO_PortSet/Clear: gpio.setClear (3 CM4 cycles, firmware/costs/gpio-cycles.ts), then a
  // write of DR_SET/DR_CLEAR that reaches GPIO9 at the bus's first edge at or after the issue,
  // + 2 bus cycles of synchroniser (syncCycles) + 2 of access (accessCycles); the core sees
  // the response at its first edge at or after that, + 2 CM4 cycles (responseSyncCycles).
  //   rising:  issue at 3 × 2490 = 7470; bus edge 12450; + 4 × 6225 → GPIO9 at 37350.
  //            back at the core at 37350 (a CM4 edge: 15 × 2490) + 2 × 2490 = 42330.
  //   falling: issue at 42330 + (1000 + 3) × 2490 = 2539800 (a bus edge: 408 × 6225);
  //            + 4 × 6225 → GPIO9 at 2564700.
  //   pulse: 2564700 − 37350 = 2527350 ticks = 1015 CM4 cycles = 2537.5 ns
  //          (1000 + 3 charged, 2 back to the core, 10 for the write: 4 bus cycles = 24900 ticks).
  test('the summary measures 2537.5 ns = 1015 CM4 cycles, and the records fall where computed', () => {
    const memory = new MemorySink();
    const s = runScenario(load(pulseScenario('[pin-high, {compute: 1000}, pin-low]')), { sinks: () => [memory] });
    expect(memory.records.filter((r) => r.kind === 'gpio')).toEqual([
      { t: 37350, component: 'gpio9', kind: 'gpio', port: 0, pin: 4, level: true },
      { t: 2564700, component: 'gpio9', kind: 'gpio', port: 0, pin: 4, level: false },
    ]);
    // the two writes as the CM4 saw them complete (its response edge): DR_SET then DR_CLEAR of bit 4
    expect(memory.records.filter((r) => r.kind === 'bus' && r.target === 'gpio9').map((r) => r.kind === 'bus' && [r.t, r.address, r.value])).toEqual([
      [42330, 0x40c64000 + 0x84, 0x10],
      [2569680, 0x40c64000 + 0x88, 0x10],
    ]);
    const pulse = s.pinIntervals!.pulse!;
    expect(pulse.count).toBe(1);
    expect(pulse.from).toBe('cm4 rising');
    expect(pulse.to).toBe('cm4 falling');
    expect(pulse.ns).toEqual({ min: 2537.5, mean: 2537.5, p50: 2537.5, p90: 2537.5, p99: 2537.5, max: 2537.5 });
    expect(pulse.cycles.cm4).toEqual({ min: 1015, mean: 1015, p50: 1015, p90: 1015, p99: 1015, max: 1015 });
    // the CM7 at 996 MHz: 2527350 / 1000 = 2527.35 of its cycles
    expect(pulse.cycles.cm7!.min).toBe(2527.35);
  });

  test('expect bounds pass and fail on the exact value', () => {
    const bounds = (max: string) => `expect:\n  pin-interval:\n    pulse: {count: 1, max: {at-most: ${max}}, min: {at-least: 2537ns}}`;
    const pass = runScenario(load(pulseScenario('[pin-high, {compute: 1000}, pin-low]', bounds('1015 cycles@cm4'))));
    expect(pass.expectations.map((e) => [e.what, e.ok])).toEqual([
      ['pin interval pulse count', true],
      ['pin interval pulse min', true],
      ['pin interval pulse max', true],
    ]);
    const fail = runScenario(load(pulseScenario('[pin-high, {compute: 1000}, pin-low]', bounds('1014 cycles@cm4'))));
    expect(fail.expectations.find((e) => e.what === 'pin interval pulse max')).toEqual({
      what: 'pin interval pulse max',
      expected: '<= 1014 cycles@cm4',
      actual: '2537.5 ns',
      ok: false,
    });
    expect(fail.ok).toBe(false);
  });

  test('a bound on an interval that never happened fails, saying so', () => {
    const s = runScenario(load(pulseScenario('[pin-high]', 'expect:\n  pin-interval:\n    pulse: {count: 0, max: {at-most: 1us}}')));
    expect(s.pinIntervals!.pulse!.count).toBe(0);
    expect(s.expectations.map((e) => [e.what, e.actual, e.ok])).toEqual([
      ['pin interval pulse count', '0', true],
      ['pin interval pulse max', 'no interval measured', false],
    ]);
  });

  test('no pin-intervals: the summary has no pinIntervals key (the shape of other scenarios is unchanged)', () => {
    const text = ['platform: imxrt1170', 'master:', '  steps: [{compute: 0}]', 'remote:', '  steps: [pin-high, pin-low]', 'stop: {time: 10us}'].join('\n');
    expect('pinIntervals' in runScenario(load(text))).toBe(false);
  });
});

describe('interval pairing', () => {
  // Two pulses: pin-high, compute 1000, pin-low, compute 1000, pin-high, compute 1000, pin-low.
  // As above, the first rising edge is at 37350 and the first falling one at 2564700. The
  // falling write's response is back at 2564700 (1030 × 2490, a CM4 edge) + 4980 = 2569680;
  // the second rising write issues 1003 CM4 cycles later, at 2569680 + 2497470 = 5067150
  // (814 × 6225, a bus edge) and reaches GPIO9 at 5067150 + 24900 = 5092050.
  // Period (rising to rising): 5092050 − 37350 = 5054700 ticks = 2030 CM4 cycles = 5075 ns.
  test('rising to rising of the same pin is the period; each rising edge also ends the interval before it', () => {
    const text = pulseScenario('[pin-high, {compute: 1000}, pin-low, {compute: 1000}, pin-high, {compute: 1000}, pin-low]').replace(
      '  pulse: {from: {pin: cm4, edge: rising}, to: {pin: cm4, edge: falling}}',
      '  pulse: {from: {pin: cm4, edge: rising}, to: {pin: cm4, edge: falling}}\n  period: {from: {pin: cm4, edge: rising}, to: {pin: cm4, edge: rising}}',
    );
    const s = runScenario(load(text));
    expect(s.pinIntervals!.pulse!.count).toBe(2);
    expect(s.pinIntervals!.period!.count).toBe(1);
    expect(s.pinIntervals!.period!.ns.max).toBe(5075);
    expect(s.pinIntervals!.period!.cycles.cm4!.max).toBe(2030);
  });

  test("from one core's pin to the other's: both raise at once, the peripheral bus serialises the writes", () => {
    // Both cores start at tick 0 and charge gpio.setClear first: the CM7 (996 MHz, 1000 ticks a
    // cycle) 2 cycles, the CM4 3 (7470 ticks). The CM7's write issues at 2000, meets the bus
    // edge at 6225 and the arbiter 2 bus cycles later, at 18675; it holds the peripheral bus
    // 2 bus cycles (12450 ticks): the CM7's pin rises at 31125. The CM4's issues at 7470,
    // reaches the arbiter at 12450 + 12450 = 24900 while the bus is busy, is granted at 31125
    // and ends at 43575. Skew: 43575 − 31125 = 12450 ticks = 12.5 ns (of which 6225, one bus
    // cycle, is the CM4 waiting for the CM7's access). The CM7's code is in ITCM: from XIP
    // flash its cold I-cache would delay its write by a line refill.
    const text = [
      'platform: imxrt1170',
      'placement: {master: {code: itcm}}',
      'master:',
      '  steps: [pin-high]',
      'remote:',
      '  steps: [pin-high]',
      'stop: {time: 10us}',
      'pin-intervals:',
      '  skew: {from: {pin: cm7, edge: rising}, to: {pin: cm4, edge: rising}}',
    ].join('\n');
    const skew = runScenario(load(text)).pinIntervals!.skew!;
    expect(skew.count).toBe(1);
    expect(skew.ns.min).toBe(12.5);
  });
});

describe('loader errors for pins carry file:line:column', () => {
  test('a pin that does not exist, in a step and in an interval; an unknown edge; bounds on an undefined interval', () => {
    const text = [
      'platform: imxrt1170', // 1
      'master:', // 2
      '  steps: [{compute: 0}]', // 3
      'remote:', // 4
      '  steps: [{pin-high: cm5}]', // 5
      'stop: {time: 10us}', // 6
      'pin-intervals:', // 7
      '  pulse: {from: {pin: cm8, edge: rising}, to: {pin: cm4, edge: risen}}', // 8
      'expect:', // 9
      '  pin-interval:', // 10
      '    pulse: {count: 1}', // 11
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      '5:22 no pin named "cm5" on imxrt1170; its pins are named after the cores: cm7, cm4 (did you mean "cm7"?)',
      '8:23 no pin named "cm8" on imxrt1170; its pins are named after the cores: cm7, cm4 (did you mean "cm7"?)',
      '8:64 unknown edge "risen"; expected one of rising, falling (did you mean "rising"?)',
    ]);
  });

  test('an edge without its pin or its edge is reported, not a TypeError (found by mutating gpio-pingpong.yaml)', () => {
    const text = ['master:', '  steps: [{compute: 0}]', 'remote:', '  steps: [pin-high]', 'stop: {time: 10us}', 'pin-intervals:', '  p: {from: {pin: cm4, edg: rising}, to: {edge: falling}}'].join('\n');
    expect(errorsOf(text)).toEqual([
      '7:24 unknown key "edg" in pin-intervals.p.from (did you mean "edge"?)',
      '7:38 missing required key "pin" in pin-intervals.p.to',
    ]);
  });

  test('bounds on an interval not in pin-intervals', () => {
    const text = ['master:', '  steps: [{compute: 0}]', 'remote:', '  steps: [pin-high]', 'stop: {time: 10us}', 'expect:', '  pin-interval:', '    pulze: {count: 1}'].join('\n');
    expect(errorsOf(text)).toEqual(['8:5 no interval named "pulze" in pin-intervals (define it under pin-intervals: first)']);
  });

  test("a core that cannot drive another core's pin (i.MX 8M Mini: each core's pin on its own GPIO port)", () => {
    const text = ['platform: imx8mm', 'master:', '  steps: [{pin-high: m4}]', 'remote:', '  steps: [pin-high]', 'stop: {time: 10us}'].join('\n');
    expect(errorsOf(text)).toEqual(['3:22 a53 cannot drive pin "m4": no window of a53 maps its GPIO block (a53 drives a53)']);
  });
});
