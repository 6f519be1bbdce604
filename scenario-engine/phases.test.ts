// The phase breakdown on a hand-built two-core system whose every phase is computed below,
// and the pairing of round trips from hand-written records.
//
// The system (as in sim/hw/core.test.ts): cpu0 (master, sender) at 100 MHz = 10 ticks a cycle,
// cpu1 (remote, receiver) at 50 MHz = 20 ticks, an SRAM port at 100 MHz with 1 read and 0
// write wait states, 1 cycle to cross into a port's domain and 1 core cycle back, a peripheral
// bus at 50 MHz with 2-cycle accesses, fixed-priority arbitration with cpu1 first. A doorbell
// register: writing non-zero raises its line (cpu1's line 5), zero lowers it. Tick = 1 ns.
// Cortex-M4 cores: exception entry 12 cycles, NVIC sampling 1 cycle after the first edge at or
// after a line change. cpu1's exception memory: stacking costs 3 cycles beyond zero wait.
// cpu0 fetches code through a 2-way 256-byte line store of 32-byte lines, each miss refilled
// in 4 cycles, no prefetch.

import { Kernel, cycles } from '../sim/kernel';
import type { Core, CoreStats, Firmware } from '../sim/hw/core';
import type { AccessSize, Peripheral, RegisterFault } from '../sim/hw/peripheral';
import { IrqLine } from '../sim/hw/signal';
import { buildSoc } from '../sim/hw/soc';
import { FetchUnit } from '../sim/hw/fetch';
import { type RecordFields, type RecordKind, type TraceRecord, Tracer } from '../sim/trace/trace';
import { type MessageBreakdown, PhaseCollector, summarisePhases } from './phases';

const SRAM = 0x2000_0000;
const DOORBELL = 0x4000_0000;

class Doorbell implements Peripheral {
  readonly windowSize = 4;
  readonly line = new IrqLine('doorbell');
  constructor(readonly name: string) {}
  read(): number {
    return this.line.level ? 1 : 0;
  }
  write(_offset: number, value: number, _size: AccessSize): RegisterFault | undefined {
    this.line.set(value !== 0);
    return undefined;
  }
}

function handBuilt() {
  const k = new Kernel({ clocks: { cpu0: 100e6, cpu1: 50e6, sram: 100e6, apb: 50e6 } });
  const tracer = new Tracer(k);
  const bell = new Doorbell('doorbell');
  const windows = [
    { base: SRAM, size: 0x1000, target: 'sram' },
    { base: DOORBELL, size: 4, target: 'doorbell' },
  ];
  const soc = buildSoc(
    k,
    {
      cores: [
        { name: 'cpu0', type: 'cortex-m4', clock: 'cpu0', nvic: { lines: 8, priorityBits: 3 }, addressMap: windows },
        { name: 'cpu1', type: 'cortex-m4', clock: 'cpu1', nvic: { lines: 8, priorityBits: 3 }, addressMap: windows },
      ],
      memories: [{ name: 'sram', clock: 'sram', size: 0x1000, dataWidthBytes: 4, readWaitStates: 1, writeWaitStates: 0 }],
      interconnect: { arbitration: 'fixed-priority', priorityOrder: ['cpu1', 'cpu0'], syncCycles: 1, responseSyncCycles: 1 },
      peripheralBus: { clock: 'apb', accessCycles: 2 },
    },
    { doorbell: bell },
    { tracer },
  );
  const cpu0 = soc.core('cpu0');
  const cpu1 = soc.core('cpu1');
  cpu0.fetch = new FetchUnit(
    k,
    'cpu0.fetch',
    { lines: { sizeBytes: 256, lineBytes: 32, ways: 2 }, replacement: 'lru', refill: { kind: 'cycles', cycles: 4 }, prefetch: false },
    cpu0.clock,
    cpu0.bus,
  );
  const phaseCore = (c: Core, lines: number[]) => ({
    name: c.name,
    periodTicks: c.clock.period,
    controller: c.nvic.name,
    mailboxLines: lines,
    stats: c.stats,
    bus: c.bus.stats,
  });
  const phases = new PhaseCollector({ cores: [phaseCore(cpu0, []), phaseCore(cpu1, [5])], mailboxTargets: new Set(['doorbell']) });
  tracer.addSink(phases);
  return { k, tracer, cpu0, cpu1, bell, phases };
}

test('a hand-computed send → notify → crossing → entry → ISR chain, and a message that skips the doorbell', () => {
  const { k, tracer, cpu0, cpu1, bell, phases } = handBuilt();
  const emit = <K extends RecordKind>(c: Core, kind: K, fields: RecordFields[K]) => tracer.emit(c.name, kind, fields);
  const message = { src: 1, dst: 30, len: 4, buffer: SRAM + 0x40 };
  cpu1.nvic.connect(5, bell.line);
  cpu1.nvic.enable(5);
  cpu1.exceptionMemory = { vectorTable: 0, stackingCycles: 3, unstackingCycles: 0, parallel: true };
  cpu1.setHandler(5, function* (): Firmware<void> {
    yield* cpu1.exec(cycles(4)); // 740 → 820
    yield* cpu1.write32(DOORBELL, 0); // APB edge 820 + 20 sync, 2 cycles → 880 (line low), cpu1 edge 880 + 20 = 900
    yield* cpu1.run({ cycles: cycles(6), code: null, dataStall: cycles(2) }); // 8 cycles: 900 → 1060
    emit(cpu1, 'rl-deliver', { dir: 'm2r', msg: 0, ...message, ept: 30 });
    yield* cpu1.exec(cycles(7)); // the callback: 1060 → 1200
    emit(cpu1, 'rl-callback-return', { dir: 'm2r', msg: 0, result: 0 });
    yield* cpu1.exec(cycles(3)); // 1200 → 1260
    emit(cpu1, 'rl-deliver', { dir: 'm2r', msg: 1, ...message, ept: 30 });
  });
  cpu0.start(
    (function* (): Firmware<void> {
      emit(cpu0, 'rl-call', { fn: 'rpmsg_lite_send' }); // b0 = 0
      // cpu1 reads SRAM at 0 too and goes first: its read beat 10..30; cpu0's write beat 30..40,
      // back at 40 + 10 = 50; alone: beat 10..20, back at 30. Bus stall 20 ticks = 2 cycles.
      yield* cpu0.write32(SRAM + 0x40, 1);
      // two code lines (0x100, 0x120) missed: 8 cycles of fetch stall, 50 → 130; then 10 + 5 cycles → 280
      yield* cpu0.run({ cycles: cycles(10), code: { spans: [{ address: 0x100, bytes: 64 }] }, dataStall: cycles(5) });
      emit(cpu0, 'rl-enqueue', { dir: 'm2r', msg: 0, ...message });
      yield* cpu0.exec(cycles(5)); // 280 → 330
      emit(cpu0, 'rl-notify', { vq: 1 }); // b1 = 330
      yield* cpu0.exec(cycles(3)); // 330 → 360
      // APB edge 360 + 20 sync = 380, 2 APB cycles → 420 (line up), cpu0 edge 420 + 10 = 430: b2 = 430
      yield* cpu0.write32(DOORBELL, 1);
      emit(cpu0, 'rl-return', { fn: 'rpmsg_lite_send', code: 0 });
      // A second send that does not ring the doorbell (as when VRING_USED_F_NO_NOTIFY is set).
      emit(cpu0, 'rl-call', { fn: 'rpmsg_lite_send' }); // b0 = 430
      yield* cpu0.exec(cycles(2)); // 430 → 450
      emit(cpu0, 'rl-enqueue', { dir: 'm2r', msg: 1, ...message });
      emit(cpu0, 'rl-return', { fn: 'rpmsg_lite_send', code: 0 }); // b1 = b2 = 450
    })(),
  );
  cpu1.start(
    (function* (): Firmware<void> {
      yield* cpu1.read32(SRAM); // 10..30, back at cpu1 edge 40 + 20 = 60
      for (;;) yield* cpu1.waitForInterrupt();
    })(),
  );
  const seen: MessageBreakdown[] = [];
  phases.onMessage = (b) => seen.push(b);
  k.run();

  // Message 0: line up at 420, cpu1 samples at its edge 420 + 20 = 440 (b3); entry 12 cycles plus
  // 3 of stacking = 15 cycles = 300 ticks: handler at 740 (b4); delivered at 1060 (b5).
  //   send path 0..330 = 33 cpu0 cycles: fetch stall 8, data stall 5, bus stall 2
  //   notify 330..430 = 10 cpu0 cycles
  //   crossing 430..440 = 0.5 cpu1 cycles (the line rose at 420, before cpu0 saw its write end)
  //   interrupt entry 440..740 = 15 cpu1 cycles, 3 of them exception memory
  //   ISR and dispatch 740..1060 = 16 cpu1 cycles: data stall 2
  // Message 1: no doorbell: b1 = b2 = its send's return at 450; no interrupt after that before it
  // is delivered by the ISR already running: b3 = b4 = 450; delivered at 1260.
  //   send path 430..450 = 2 cycles, ISR and dispatch 450..1260 = 810 ticks (data stall 2: the ISR's work from 900)
  // (parts, per phase: fetch, data, bus, exception memory, cache maintenance)
  expect(seen).toEqual([
    {
      dir: 'm2r',
      msg: 0,
      boundaries: [0, 330, 430, 440, 740, 1060],
      complete: true,
      phases: [330, 100, 10, 300, 320],
      parts: [[8, 5, 2, 0, 0], [0, 0, 0, 0, 0], null, [0, 0, 0, 3, 0], [0, 2, 0, 0, 0]],
      latency: 1060,
    },
    {
      dir: 'm2r',
      msg: 1,
      boundaries: [430, 450, 450, 450, 450, 1260],
      complete: false,
      phases: [20, 0, 0, 0, 810],
      parts: [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], null, [0, 0, 0, 0, 0], [0, 2, 0, 0, 0]],
      latency: 830,
    },
  ]);
  for (const b of seen) expect(b.phases.reduce((a, v) => a + v, 0)).toBe(b.latency);

  const s = summarisePhases(phases, [cpu0, cpu1].map((c) => ({ name: c.name, periodTicks: c.clock.period })), (t) => t);
  const m2r = s.masterToRemote;
  expect([m2r.messages, m2r.complete]).toEqual([2, 1]);
  // first: message 0; mean of both: send path (330 + 20) / 2 = 175 ticks = 17.5 cpu0 cycles,
  // ISR and dispatch (320 + 810) / 2 = 565 ticks = 28.25 cpu1 cycles; latency (1060 + 830) / 2 = 945 ns
  expect(m2r.latencyNs).toEqual({ first: 1060, mean: 945 });
  expect(m2r.phases.map((r) => [r.phase, r.core, r.first, r.mean])).toEqual([
    ['sendPath', 'cpu0', { cycles: 33, ns: 330 }, { cycles: 17.5, ns: 175 }],
    ['notify', 'cpu0', { cycles: 10, ns: 100 }, { cycles: 5, ns: 50 }],
    ['mailboxCrossing', 'cpu1', { cycles: 0.5, ns: 10 }, { cycles: 0.25, ns: 5 }],
    ['interruptEntry', 'cpu1', { cycles: 15, ns: 300 }, { cycles: 7.5, ns: 150 }],
    ['isrDispatch', 'cpu1', { cycles: 16, ns: 320 }, { cycles: 28.25, ns: 565 }],
  ]);
  expect(m2r.phases[0]!.parts).toEqual({
    first: { fetchStall: 8, dataStall: 5, busStall: 2, exceptionMemory: 0, cacheMaintenance: 0 },
    mean: { fetchStall: 4, dataStall: 2.5, busStall: 1, exceptionMemory: 0, cacheMaintenance: 0 },
  });
  expect(m2r.phases[2]!.parts).toBeNull();
  // the callback of message 0: 1060..1200 = 7 cpu1 cycles (message 1's callback never returned)
  expect(m2r.callback).toEqual({
    count: 1,
    phase: 'callback',
    core: 'cpu1',
    first: { cycles: 7, ns: 140 },
    mean: { cycles: 7, ns: 140 },
    parts: { first: { fetchStall: 0, dataStall: 0, busStall: 0, exceptionMemory: 0, cacheMaintenance: 0 }, mean: { fetchStall: 0, dataStall: 0, busStall: 0, exceptionMemory: 0, cacheMaintenance: 0 } },
  });
  expect([s.remoteToMaster.messages, s.remoteToMaster.phases[0]!.first, s.roundTrip.count, s.roundTrip.latencyNs]).toEqual([0, null, 0, { first: null, mean: null }]);
});

describe('from hand-written records', () => {
  /** A collector over two cores (m: 10 ticks a cycle, r: 20) whose counters a test sets. */
  function collector() {
    const counters = [
      { stats: zeroStats(), bus: { stallCycles: 0 } },
      { stats: zeroStats(), bus: { stallCycles: 0 } },
    ];
    const core = (name: string, periodTicks: number, i: number) => ({
      name,
      periodTicks,
      controller: `${name}.nvic`,
      mailboxLines: [7],
      ...counters[i]!,
    });
    const p = new PhaseCollector({ cores: [core('m', 10, 0), core('r', 20, 1)], mailboxTargets: new Set(['mbox']) });
    const feed = (t: number, component: string, kind: RecordKind, fields: object) => p.record({ t, component, kind, ...fields } as TraceRecord);
    return { p, counters, feed };
  }

  /** One message's path: send call at t, each boundary `step` ticks after the one before. */
  function path(feed: ReturnType<typeof collector>['feed'], from: 'm' | 'r', dir: 'm2r' | 'r2m', msg: number, t: number, step: number, callbackTicks: number): number {
    const to = from === 'm' ? 'r' : 'm';
    const fields = { src: 1, dst: 2, len: 4, buffer: 0 };
    feed(t, from, 'rl-call', { fn: 'rpmsg_lite_send' });
    feed(t + 1, from, 'rl-enqueue', { dir, msg, ...fields });
    feed(t + step, from, 'rl-notify', { vq: 1 });
    feed(t + 2 * step, from, 'bus', { op: 'write', address: 0, size: 4, value: 1, target: 'mbox', cycles: 1, stall: 0 });
    feed(t + 2 * step, from, 'rl-return', { fn: 'rpmsg_lite_send', code: 0 });
    feed(t + 3 * step, `${to}.nvic`, 'irq-pending', { line: 7 });
    feed(t + 4 * step, to, 'handler-start', { line: 7, priority: 2 });
    feed(t + 5 * step, to, 'rl-deliver', { dir, msg, ...fields, ept: 2 });
    feed(t + 5 * step + callbackTicks, to, 'rl-callback-return', { dir, msg, result: 0 });
    return t + 5 * step + callbackTicks;
  }

  test('a round trip: the request, the remote callback, the remote until the reply, the reply; the sum is the span', () => {
    const { p, counters, feed } = collector();
    const trips: [number[], number][] = [];
    p.onRoundTrip = (segments, span) => trips.push([segments, span]);
    // request m2r#0 at 0, boundaries 100 apart: delivered at 500, callback to 560; the remote
    // gains 4 bus-stall cycles before it sends the reply at 600 (boundaries 40 apart, delivered at 800)
    const end = path(feed, 'm', 'm2r', 0, 0, 100, 60);
    expect(end).toBe(560);
    counters[1]!.bus.stallCycles = 4;
    path(feed, 'r', 'r2m', 0, 600, 40, 10);
    // segments: 5 × 100, callback 60, until the reply 600 - 560 = 40, 5 × 40; span 800 - 0
    expect(trips).toEqual([[[100, 100, 100, 100, 100, 60, 40, 40, 40, 40, 40, 40], 800]]);
    const s = summarisePhases(p, [{ name: 'm', periodTicks: 10 }, { name: 'r', periodTicks: 20 }], (t) => t);
    expect(s.roundTrip.count).toBe(1);
    expect(s.roundTrip.latencyNs).toEqual({ first: 800, mean: 800 });
    expect(s.roundTrip.phases.map((r) => `${r.leg}.${r.phase}@${r.core}=${r.first!.cycles}`)).toEqual([
      'masterToRemote.sendPath@m=10',
      'masterToRemote.notify@m=10',
      'masterToRemote.mailboxCrossing@r=5',
      'masterToRemote.interruptEntry@r=5',
      'masterToRemote.isrDispatch@r=5',
      'turnaround.callback@r=3',
      'turnaround.reply@r=2',
      'remoteToMaster.sendPath@r=2',
      'remoteToMaster.notify@r=2',
      'remoteToMaster.mailboxCrossing@m=4',
      'remoteToMaster.interruptEntry@m=4',
      'remoteToMaster.isrDispatch@m=4',
    ]);
    expect(s.roundTrip.phases[6]!.parts!.first).toEqual({ fetchStall: 0, dataStall: 0, busStall: 4, exceptionMemory: 0, cacheMaintenance: 0 });
  });

  test('no round trip when the reply was sent before the request arrived, or after the next request', () => {
    const { p, feed } = collector();
    let trips = 0;
    p.onRoundTrip = () => trips++;
    // the remote's send begins at 0, before m2r#0 is delivered (at 5 × 10 + 200 = 250): not its reply
    feed(0, 'r', 'rl-call', { fn: 'rpmsg_lite_send' });
    path(feed, 'm', 'm2r', 0, 200, 10, 0);
    feed(300, 'r', 'rl-enqueue', { dir: 'r2m', msg: 0, src: 1, dst: 2, len: 4, buffer: 0 });
    feed(301, 'r', 'rl-return', { fn: 'rpmsg_lite_send', code: 0 });
    feed(400, 'm', 'rl-deliver', { dir: 'r2m', msg: 0, src: 1, dst: 2, len: 4, buffer: 0, ept: 2 });
    // m2r#1 and m2r#2 arrive before the remote answers: only m2r#2 has a reply
    path(feed, 'm', 'm2r', 1, 1000, 10, 0);
    path(feed, 'm', 'm2r', 2, 2000, 10, 0);
    path(feed, 'r', 'r2m', 1, 3000, 10, 0);
    expect(trips).toBe(1);
    expect(p.roundTrip.first!.ticks.slice(0, 5)).toEqual([10, 10, 10, 10, 10]);
    expect(p.roundTrip.first!.ticks[6]).toBe(3000 - 2050); // until the reply: from m2r#2's delivery at 2050
  });

  test('irq-pending and handler-start of other lines and other controllers are not a message’s', () => {
    const { p, feed } = collector();
    const seen: MessageBreakdown[] = [];
    p.onMessage = (b) => seen.push(b);
    const fields = { src: 1, dst: 2, len: 4, buffer: 0 };
    feed(0, 'm', 'rl-call', { fn: 'rpmsg_lite_send' });
    feed(1, 'm', 'rl-enqueue', { dir: 'm2r', msg: 0, ...fields });
    feed(10, 'm', 'rl-notify', { vq: 1 });
    feed(15, 'm', 'bus', { op: 'write', address: 0, size: 4, value: 1, target: 'ram', cycles: 1, stall: 0 }); // not the mailbox
    feed(20, 'm', 'bus', { op: 'write', address: 0, size: 4, value: 1, target: 'mbox', cycles: 1, stall: 0 });
    feed(21, 'm', 'rl-return', { fn: 'rpmsg_lite_send', code: 0 });
    feed(25, 'r.nvic', 'irq-pending', { line: 15 }); // SysTick
    feed(26, 'm.nvic', 'irq-pending', { line: 7 }); // the sender's own mailbox line
    feed(30, 'r.nvic', 'irq-pending', { line: 7 });
    feed(35, 'r', 'handler-start', { line: 15, priority: 0 });
    feed(40, 'r', 'handler-start', { line: 7, priority: 2 });
    feed(50, 'r', 'rl-deliver', { dir: 'm2r', msg: 0, ...fields, ept: 2 });
    expect(seen.map((b) => [b.boundaries, b.complete])).toEqual([[[0, 10, 20, 30, 40, 50], true]]);
  });

  test('a dropped message (no endpoint) is not broken down', () => {
    const { p, feed } = collector();
    const seen: MessageBreakdown[] = [];
    p.onMessage = (b) => seen.push(b);
    feed(0, 'm', 'rl-enqueue', { dir: 'm2r', msg: 0, src: 1, dst: 99, len: 4, buffer: 0 });
    feed(10, 'r', 'rl-deliver', { dir: 'm2r', msg: 0, src: 1, dst: 99, len: 4, buffer: 0, ept: -1 });
    expect(seen).toEqual([]);
    expect(p.oneWay.m2r.count).toBe(0);
  });
});

function zeroStats(): CoreStats {
  return {
    cacheMaintenanceCycles: 0,
    busyCycles: 0,
    handlerCycles: 0,
    asleepCycles: 0,
    fetchStallCycles: 0,
    dataStallCycles: 0,
    exceptionMemoryCycles: 0,
    interrupts: 0,
    tailChains: 0,
    lateArrivals: 0,
  };
}
