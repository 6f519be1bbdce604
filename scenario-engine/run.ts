// Runs a scenario: builds the platform and each core's firmware, runs until the stop
// condition, and returns the summary metrics and the expectation results.

import { ConfigError, InternalError, type Ticks, cycles } from '../sim/kernel';
import { type Program, ROLES } from '../firmware/program';
import type { AppPrograms } from '../firmware/apps/declaration';
import { appNamed } from '../firmware/apps/registry';
import { environmentOf } from '../firmware/env/registry';
import { buildRpmsgSystem, startPrograms } from '../platforms/system';
import { type RecordKind, Tracer, type TraceRecord, type TraceSink, kindsRead } from '../sim/trace/trace';
import type { LatencyStats } from '../sim/stats/latency-stats';
import { MetricsCollector, PinIntervalCollector, type WatchedEdge } from './metrics';
import { type MessageBreakdown, PhaseCollector, type PhasesSummary, summarisePhases } from './phases';
import { stepsProgram } from '../firmware/steps/steps';
import { traceHeaderOf } from './trace-header';
import type { TraceHeaderInput } from '../sim/trace/header';
import type { MemoryReader } from '../sim/trace/vcd';
import type { Bound, CoreSetup, Duration, PinEdge, Role, Scenario, StatName } from './types';
import { checkFaults, faultExpectations, installFaults } from './faults';

export interface RunOptions {
  /**
   * Trace writers (each a view of the record stream), made once the header is known; `memory`
   * reads the shared memory as the header's addresses see it, for writers that show what a
   * record does not carry (the VCD's vring indices after a burst).
   */
  sinks?: (header: TraceHeaderInput, memory: MemoryReader) => TraceSink[];
  /** `mark` steps and the end of the run: the shared-memory bytes at that moment. */
  onMark?: (label: string, tick: number, bytes: Uint8Array) => void;
  /** Programs of `module:` firmware, by scenario role (compiled by the CLI). */
  modules?: Partial<Record<Role, Program>>;
  /** Each message's phase breakdown as it is delivered (tests, tools). */
  onMessagePhases?: (b: MessageBreakdown) => void;
  /** Each round trip's segments in ticks and its span (tests, tools). */
  onRoundTripPhases?: (segments: number[], span: number) => void;
}

export interface StatSummary {
  count: number;
  /** In ns. */
  ns: { min: number; mean: number; p50: number; p99: number; max: number };
  /** In cycles of each core's clock. */
  cycles: Record<string, { min: number; mean: number; p50: number; p99: number; max: number }>;
  exact: boolean;
}

export interface CoreSummary {
  name: string;
  type: string;
  clockHz: number;
  cycles: number;
  busy: number;
  inHandlers: number;
  stalled: number;
  asleep: number;
  interrupts: number;
  tailChains: number;
  lateArrivals: number;
  lockup: string | null;
}

export interface ExpectationResult {
  what: string;
  expected: string;
  actual: string;
  ok: boolean;
}

export interface RunSummary {
  scenario: string;
  platform: string;
  /** 'time' | 'messages' | 'finished' (the app ended the run) | 'idle' (nothing left to do). */
  stopReason: 'time' | 'messages' | 'finished' | 'idle';
  ticks: number;
  tickHz: number;
  simulatedNs: number;
  messages: Record<'masterToRemote' | 'remoteToMaster', { delivered: number; bytes: number; dropped: number }>;
  latency: {
    oneWay: Record<'masterToRemote' | 'remoteToMaster', StatSummary>;
    sendReturn: Record<'masterToRemote' | 'remoteToMaster', StatSummary>;
  };
  /** Where the time goes: each message's latency in phases (scenario-engine/phases.ts). */
  phases: PhasesSummary;
  throughput: { messagesPerSecond: number; bytesPerSecond: number };
  cores: CoreSummary[];
  bus: { port: string; utilisation: number; beats: Record<string, number> }[];
  codes: Record<string, number>;
  linkUp: Record<Role, boolean>;
  /**
   * The scenario's `pin-intervals`, by name (only when it has some): intervals between GPIO
   * pin edges, in ns and in cycles of each core.
   */
  pinIntervals?: Record<string, StatSummary & { from: string; to: string }>;
  /** Who waits on what when the run ended idle with firmware still waiting. */
  blocked: string[];
  expectations: ExpectationResult[];
  ok: boolean;
}

/** Passes on only the record kinds a scenario's `trace: {kinds}` keeps (the tracer builds no others for it). */
class KindFilter implements TraceSink {
  readonly kinds: readonly RecordKind[];
  readonly busTargets?: ReadonlySet<string>;
  constructor(
    private readonly sink: TraceSink,
    keep: ReadonlySet<string>,
  ) {
    this.kinds = kindsRead(sink).filter((k) => keep.has(k));
    if (sink.busTargets !== undefined) this.busTargets = sink.busTargets;
  }
  record(r: TraceRecord): void {
    this.sink.record(r);
  }
  close(): void {
    this.sink.close?.();
  }
  abort(): void {
    this.sink.abort?.();
  }
}

/** Records link-up per core (the master's init sets it; the remote's comes from the kick). */
class LinkWatcher implements TraceSink {
  readonly kinds = ['rl-link-up', 'rl-return', 'rl-call'] as const;
  readonly up = new Set<string>();
  record(r: TraceRecord): void {
    if (r.kind === 'rl-link-up') this.up.add(r.component);
    // a core that initialises again (a reset fault restarted it) has its link down until it comes up anew
    else if (r.kind === 'rl-call' && (r.fn === 'rpmsg_lite_remote_init' || r.fn === 'rpmsg_lite_master_init')) this.up.delete(r.component);
    else if (r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init' && r.code === 0) this.up.add(r.component);
    else if (r.kind === 'rl-return' && r.fn === 'rpmsg_lite_deinit') this.up.delete(r.component);
  }
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunSummary {
  const metrics = new MetricsCollector();
  const links = new LinkWatcher();
  let tracer: Tracer | null = null;
  const sys = buildRpmsgSystem(scenario.platform, {
    overrides: scenario.overrides,
    config: scenario.rpmsg,
    ...(scenario.placement !== undefined && { placement: scenario.placement }),
    environments: { master: scenario.master.environment, remote: scenario.remote.environment },
    costs: {
      ...(scenario.master.costs !== undefined && { master: scenario.master.costs }),
      ...(scenario.remote.costs !== undefined && { remote: scenario.remote.costs }),
    },
    builds: {
      ...(scenario.master.build !== undefined && { master: scenario.master.build }),
      ...(scenario.remote.build !== undefined && { remote: scenario.remote.build }),
    },
    tracer: (kernel) => {
      tracer = new Tracer(kernel);
      tracer.addSink(metrics);
      tracer.addSink(links);
      return tracer;
    },
  });
  if (scenario.faults !== undefined) checkFaults(scenario.faults, sys); // before any writer opens
  const header = traceHeaderOf(sys, scenario.name);
  const intervals = new Map<string, PinIntervalCollector>();
  for (const [name, interval] of Object.entries(scenario.pinIntervals ?? {})) {
    const edge = (e: PinEdge): WatchedEdge => {
      const pin = header.pins?.find((p) => p.name === e.pin);
      // The loader checks pin names against the platform; a Scenario built in code may not.
      if (pin === undefined) throw new ConfigError(`pin-intervals.${name}: no pin "${e.pin}" on ${scenario.platform} (pins: ${(header.pins ?? []).map((p) => p.name).join(', ')})`);
      return { block: pin.block, port: pin.port, pin: pin.pin, rising: e.edge === 'rising' };
    };
    const collector = new PinIntervalCollector(edge(interval.from), edge(interval.to));
    intervals.set(name, collector);
    tracer!.addSink(collector);
  }
  const phases = phaseCollectorOf(sys);
  phases.onMessage = options.onMessagePhases ?? null;
  phases.onRoundTrip = options.onRoundTripPhases ?? null;
  tracer!.addSink(phases);
  const shared = sharedBytes(sys);
  const memory: MemoryReader = (address, size) => {
    const at = address - sys.sharedMemory.base;
    if (at < 0 || at + size > sys.sharedMemory.length) return undefined;
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + shared.bytes[shared.from + at + i]!;
    return value;
  };
  const writers = options.sinks?.(header, memory) ?? [];
  const kinds = scenario.trace?.kinds;
  for (const w of writers) tracer!.addSink(kinds === undefined ? w : new KindFilter(w, new Set(kinds)));
  const k = sys.kernel;
  const clockOf = (core: string) => {
    const c = sys.soc.cores.find((x) => x.name === core);
    // The loader checks core names against the platform; a Scenario built in code may not.
    if (c === undefined) throw new ConfigError(`no core "${core}" on ${scenario.platform} (cores: ${sys.soc.cores.map((x) => x.name).join(', ')})`);
    return c.clock;
  };
  const ticks = (d: Duration): number => ('ns' in d ? k.timebase.ns(d.ns) : clockOf(d.core).toTicks(cycles(d.cycles)));
  const dump = (label: string) => {
    if (options.onMark === undefined) return;
    options.onMark(label, k.now, shared.bytes.slice(shared.from, shared.from + sys.sharedMemory.length));
  };

  const programs: Partial<Record<Role, Program>> = {};
  const apps: CreatedApps = new Map();
  for (const role of ROLES) {
    programs[role] = programOf(scenario[role], role, { mark: dump, ticks }, apps, options.modules?.[role]);
  }
  // Faults hook the hardware before anything runs; a late-booted core starts when its fault fires.
  const faults = scenario.faults === undefined ? null : installFaults(scenario.faults, sys, tracer!, ticks, programs);
  if (faults !== null) tracer!.addSink(faults.sink);
  startPrograms(sys, faults === null ? programs : Object.fromEntries(Object.entries(programs).filter(([role]) => !faults.lateRoles.has(role as Role))));

  let stoppedForMessages = false;
  if (scenario.stop.messages !== undefined) {
    const limit = scenario.stop.messages;
    metrics.onDelivery = (total) => {
      if (total >= limit && !stoppedForMessages) {
        stoppedForMessages = true;
        k.stop();
      }
    };
  }
  const result = k.run(scenario.stop.time !== undefined ? { until: ticks(scenario.stop.time) as Ticks } : {});
  dump('end');
  tracer!.close();
  const stopReason: RunSummary['stopReason'] =
    result.reason === 'time' ? 'time' : stoppedForMessages ? 'messages' : result.reason === 'stopped' ? 'finished' : 'idle';
  const summary = summarise(scenario, sys, metrics, phases, links, intervals, stopReason, ticks);
  if (scenario.expect.faults !== undefined) {
    const lockups = { master: sys.master.core.lockup !== null, remote: sys.remote.core.lockup !== null };
    summary.expectations.push(...faultExpectations(scenario.expect.faults, faults, lockups, ticks, (t) => k.timebase.toNs(t as Ticks)));
    summary.ok = summary.expectations.every((e) => e.ok);
  }
  return summary;
}

/** The bytes of the memory that holds the shared memory, and where the shared memory starts in them (as the master maps it). */
function sharedBytes(sys: ReturnType<typeof buildRpmsgSystem>): { bytes: Uint8Array; from: number } {
  const memory = [...sys.soc.memories.values()].find((m) =>
    sys.soc.platform.cores[0].addressMap.some((w) => w.target === m.name && w.base <= sys.sharedMemory.base && sys.sharedMemory.base < w.base + w.size),
  )!;
  const window = sys.soc.platform.cores[0].addressMap.find((w) => w.target === memory.name)!;
  return { bytes: memory.bytes, from: sys.sharedMemory.base - window.base + window.targetOffset };
}

/** The phase breakdown's view of the system: cores (master first), their mailbox lines, the mailbox targets. */
function phaseCollectorOf(sys: ReturnType<typeof buildRpmsgSystem>): PhaseCollector {
  const core = (c: (typeof sys.soc.cores)[number]) => ({
    name: c.name,
    periodTicks: c.clock.period,
    controller: c.nvic.name,
    mailboxLines: sys.soc.irqLines.filter((l) => l.core === c.name).map((l) => l.line),
    stats: c.stats,
    bus: c.bus.stats,
  });
  return new PhaseCollector({
    cores: [core(sys.master.core), core(sys.remote.core)],
    mailboxTargets: new Set(sys.soc.mailboxWindows.map((w) => w.name)),
  });
}

/** Apps made for a run, by name: the halves and the params they were made from. */
type CreatedApps = Map<string, { params: Readonly<Record<string, unknown>>; programs: AppPrograms }>;

function programOf(
  setup: CoreSetup,
  role: Role,
  hooks: { mark(label: string): void; ticks(d: Duration): number },
  apps: CreatedApps,
  module?: Program,
): Program {
  const fw = setup.firmware;
  if (fw.kind === 'steps') return stepsProgram(fw.steps, hooks);
  if (fw.kind === 'module') {
    // The CLI (files.ts compileModules) compiles modules before the run; a caller that runs
    // a module scenario must pass its programs.
    if (module === undefined) throw new InternalError(`the ${role}'s module ${fw.path} was not compiled: pass its programs in RunOptions.modules`);
    return module;
  }
  // Both halves of one app come from one create (the loader gives them one params object),
  // as startPrograms(sys, app) runs them from code: they share the app's result and its
  // message log, whose sends then meet their deliveries (two apps would each hold the sends
  // of one side, never delivered).
  const made = apps.get(fw.app);
  if (made !== undefined && made.params === fw.params) return made.programs[role];
  const programs = appNamed(fw.app).create(fw.params);
  apps.set(fw.app, { params: fw.params, programs });
  return programs[role];
}

function summarise(
  scenario: Scenario,
  sys: ReturnType<typeof buildRpmsgSystem>,
  metrics: MetricsCollector,
  phases: PhaseCollector,
  links: LinkWatcher,
  intervals: ReadonlyMap<string, PinIntervalCollector>,
  stopReason: RunSummary['stopReason'],
  ticks: (d: Duration) => number,
): RunSummary {
  const k = sys.kernel;
  const tb = k.timebase;
  const now = k.now;
  const cores = sys.soc.cores;
  const stat = (s: LatencyStats): StatSummary => {
    const x = s.summary();
    const pick = (f: (v: number) => number) => ({ min: f(x.min), mean: f(x.mean), p50: f(x.p50), p99: f(x.p99), max: f(x.max) });
    return {
      count: x.count,
      ns: pick((v) => round3(tb.toNs(v as Ticks))),
      cycles: Object.fromEntries(cores.map((c) => [c.name, pick((v) => round3(v / c.clock.period))])),
      exact: x.exact,
    };
  };
  const edgeText = (e: PinEdge) => `${e.pin} ${e.edge}`;
  const pinIntervals = Object.fromEntries(
    [...intervals].map(([name, c]) => {
      const defined = scenario.pinIntervals![name]!;
      return [name, { from: edgeText(defined.from), to: edgeText(defined.to), ...stat(c.stats) }];
    }),
  );
  const seconds = tb.toSeconds(now as Ticks);
  const delivered = metrics.delivered.m2r + metrics.delivered.r2m;
  const bytes = metrics.bytesDelivered.m2r + metrics.bytesDelivered.r2m;
  const span = metrics.firstDeliveryTick >= 0 ? tb.toSeconds(now as Ticks) : 0;
  const summary: RunSummary = {
    scenario: scenario.name,
    platform: scenario.platform,
    stopReason,
    ticks: now,
    tickHz: tb.tickHz,
    simulatedNs: round3(tb.toNs(now as Ticks)),
    messages: {
      masterToRemote: { delivered: metrics.delivered.m2r, bytes: metrics.bytesDelivered.m2r, dropped: metrics.dropped.m2r },
      remoteToMaster: { delivered: metrics.delivered.r2m, bytes: metrics.bytesDelivered.r2m, dropped: metrics.dropped.r2m },
    },
    latency: {
      oneWay: { masterToRemote: stat(metrics.oneWay.m2r), remoteToMaster: stat(metrics.oneWay.r2m) },
      sendReturn: { masterToRemote: stat(metrics.sendReturn.m2r), remoteToMaster: stat(metrics.sendReturn.r2m) },
    },
    phases: summarisePhases(
      phases,
      [sys.master.core, sys.remote.core].map((c) => ({ name: c.name, periodTicks: c.clock.period })),
      (t) => tb.toNs(t as Ticks),
    ),
    throughput: {
      messagesPerSecond: span > 0 ? round3(delivered / seconds) : 0,
      bytesPerSecond: span > 0 ? round3(bytes / seconds) : 0,
    },
    cores: cores.map((c) => {
      const s = c.statsNow();
      return {
        name: c.name,
        type: c.type,
        clockHz: c.clock.hz,
        cycles: Math.floor(now / c.clock.period),
        busy: round3(s.busyCycles),
        inHandlers: round3(s.handlerCycles),
        stalled: round3(s.stallCycles),
        asleep: round3(s.asleepCycles),
        interrupts: s.interrupts,
        tailChains: s.tailChains,
        lateArrivals: s.lateArrivals,
        lockup: c.lockup === null ? null : c.lockup.fault.message,
      };
    }),
    bus: [...sys.soc.ports.values()].map((p) => ({
      port: p.name,
      utilisation: now > 0 ? round3(p.busyTicks / now) : 0,
      beats: Object.fromEntries(cores.map((c, i) => [c.name, p.beats[i] ?? 0])),
    })),
    codes: metrics.codesByName(),
    linkUp: { master: links.up.has(sys.master.core.name), remote: links.up.has(sys.remote.core.name) },
    ...(intervals.size > 0 && { pinIntervals }),
    blocked: [],
    expectations: [],
    ok: true,
  };
  if (stopReason === 'idle') summary.blocked = describeBlocked(sys);
  summary.expectations = checkExpectations(scenario, summary, metrics, intervals, ticks, tb.toNs.bind(tb));
  summary.ok = summary.expectations.every((e) => e.ok);
  return summary;
}

function describeBlocked(sys: ReturnType<typeof buildRpmsgSystem>): string[] {
  const out: string[] = [];
  for (const side of [sys.master, sys.remote]) {
    const c = side.core;
    if (c.lockup !== null) out.push(`core ${c.name}: locked up after ${c.lockup.fault.message}`);
    else out.push(`core ${c.name}: ${c.inHandler ? `in the handler of interrupt ${c.activeLine}` : 'in thread mode'}, waiting for an interrupt (WFI) that nothing will raise`);
    for (const line of environmentOf(side.env).idleReport(side.env)) out.push(`core ${c.name}: ${line}`);
  }
  for (const b of sys.kernel.blocked()) {
    if (!sys.soc.cores.some((c) => c.name === b.process)) out.push(`process ${b.process} waits for ${b.waitsFor}`);
  }
  return out;
}

function checkExpectations(
  scenario: Scenario,
  summary: RunSummary,
  metrics: MetricsCollector,
  intervals: ReadonlyMap<string, PinIntervalCollector>,
  ticks: (d: Duration) => number,
  toNs: (t: Ticks) => number,
): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const e = scenario.expect;
  const check = (what: string, expected: string, actual: string, ok: boolean) => out.push({ what, expected, actual, ok });
  if (e.messages !== undefined) {
    const m = summary.messages;
    const total = m.masterToRemote.delivered + m.remoteToMaster.delivered;
    if (e.messages.delivered !== undefined) check('messages delivered', String(e.messages.delivered), String(total), total === e.messages.delivered);
    if (e.messages.masterToRemote !== undefined)
      check('messages master→remote', String(e.messages.masterToRemote), String(m.masterToRemote.delivered), m.masterToRemote.delivered === e.messages.masterToRemote);
    if (e.messages.remoteToMaster !== undefined)
      check('messages remote→master', String(e.messages.remoteToMaster), String(m.remoteToMaster.delivered), m.remoteToMaster.delivered === e.messages.remoteToMaster);
  }
  for (const [name, count] of Object.entries(e.codes ?? {})) {
    const actual = summary.codes[name] ?? 0;
    check(`${name} returned`, `${count} times`, `${actual} times`, actual === count);
  }
  for (const [kind, stats] of [
    ['one-way latency', e.latency?.oneWay],
    ['send-call-to-return', e.latency?.sendReturn],
  ] as const) {
    for (const [statName, bound] of Object.entries(stats ?? {})) {
      const source = kind === 'one-way latency' ? metrics.oneWay : metrics.sendReturn;
      for (const dir of ['m2r', 'r2m'] as const) {
        const s = source[dir].summary();
        if (s.count === 0) continue;
        const value = s[statName as 'min' | 'mean' | 'p50' | 'p99' | 'max'];
        const label = `${kind} ${statName} ${dir === 'm2r' ? 'master→remote' : 'remote→master'}`;
        const b = bound as Bound;
        const lo = b.min === undefined ? -Infinity : ticks(b.min);
        const hi = b.max === undefined ? Infinity : ticks(b.max);
        check(label, describeBound(b), `${round3(toNs(value as Ticks))} ns`, value >= lo && value <= hi);
      }
    }
  }
  for (const [name, want] of Object.entries(e.pinInterval ?? {})) {
    const s = intervals.get(name)?.stats.summary();
    if (s === undefined) continue; // the loader refuses bounds on an interval not defined
    if (want.count !== undefined) check(`pin interval ${name} count`, String(want.count), String(s.count), s.count === want.count);
    for (const [statName, b] of Object.entries(want.stats) as [StatName, Bound][]) {
      const label = `pin interval ${name} ${statName}`;
      if (s.count === 0) {
        check(label, describeBound(b), 'no interval measured', false);
        continue;
      }
      const value = s[statName];
      const lo = b.min === undefined ? -Infinity : ticks(b.min);
      const hi = b.max === undefined ? Infinity : ticks(b.max);
      check(label, describeBound(b), `${round3(toNs(value as Ticks))} ns`, value >= lo && value <= hi);
    }
  }
  for (const role of ROLES) {
    const want = e.linkUp?.[role];
    if (want !== undefined) check(`${role} link up`, String(want), String(summary.linkUp[role]), summary.linkUp[role] === want);
  }
  return out;
}

function describeBound(b: Bound): string {
  const d = (x: Duration) => ('ns' in x ? `${x.ns} ns` : `${x.cycles} cycles@${x.core}`);
  if (b.min !== undefined && b.max !== undefined) return `${d(b.min)} .. ${d(b.max)}`;
  if (b.min !== undefined) return `>= ${d(b.min)}`;
  return `<= ${d(b.max!)}`;
}

function round3(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}
