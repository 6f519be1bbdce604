// Runs a scenario: builds the platform and each core's firmware, runs until the stop
// condition, and returns the summary metrics and the expectation results.

import { basename } from 'node:path';
import { ConfigError, InternalError, ProcessError, type Ticks, TickLimitError, cycles } from '../sim/kernel';
import type { Step } from '../firmware/steps/types';
import { type Program, ROLES } from '../firmware/program';
import type { AppPrograms } from '../firmware/apps/declaration';
import { appNamed } from '../firmware/apps/registry';
import { environmentOf } from '../firmware/env/registry';
import { buildRpmsgSystem, startPrograms } from '../platforms/system';
import { type RecordKind, Tracer, type TraceRecord, type TraceSink, irqLabel, kindsRead } from '../sim/trace/trace';
import { type Histogram, LatencyStats, histogramOf } from '../sim/stats/latency-stats';
import { MetricsCollector, PinIntervalCollector, type WatchedEdge } from './metrics';
import { type MessageBreakdown, PhaseCollector, type PhasesSummary, summarisePhases } from './phases';
import { stepsProgram } from '../firmware/steps/steps';
import { traceHeaderOf } from './trace-header';
import type { TraceHeaderInput } from '../sim/trace/header';
import type { MemoryReader } from '../sim/trace/vcd';
import type { Bound, CoreSetup, Duration, PinEdge, Role, Scenario, StatName } from './types';
import { checkFaults, faultExpectations, installFaults } from './faults';
import { RunInterrupted, interruptibly, interruption } from './interruptible';
import { checkFaultTimes, systemOptions } from './feasibility';
import { MODULE_LOAD_WALL_MS } from './files';
import { liveTemporaries } from '../sim/trace/temporaries';

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
  /** The progress watchdog's limits (docs/reliability.md "The progress watchdog"); unset fields take WATCHDOG_DEFAULTS. */
  watchdog?: Partial<WatchdogLimits>;
  /**
   * How far the run is, between two chunks of slices (about every 50 ms of wall time): for a
   * progress line (bin/progress.ts). It only reads; the simulation is the same with or without it.
   */
  onProgress?: (progress: RunProgress) => void;
}

/** Where a run under way is, against its stop condition (scenario `stop:`, whichever comes first). */
export interface RunProgress {
  simulatedNs: number;
  /** Messages delivered, both directions. */
  messages: number;
  /** `stop: time`, in ns; undefined when the scenario gives none. */
  stopNs: number | undefined;
  /** `stop: messages`; undefined when the scenario gives none. */
  stopMessages: number | undefined;
}

/** When the progress watchdog ends a run. */
export interface WatchdogLimits {
  /** Kernel entries in a row at one simulated instant (simulated time that does not advance). */
  instantEntries: number;
  /** Wall-clock milliseconds the simulation may run without returning from firmware (a JS loop in a module); 0: no limit. */
  wallMs: number;
}

/**
 * The defaults. `instantEntries`: the shipped scenarios and bench/flood-1m.yaml run at most 4
 * kernel entries at one instant, the kernel benchmark's timers 64 (its 64 processes; measured
 * with a counter in the kernel's loop, 2026-12-02); 10^6 is far above any honest burst and
 * about 0.1 s of wall time at the kernel's rate. `wallMs`: an assumption, 10 s: no firmware
 * step of the shipped scenarios takes a millisecond; a limit much longer than any honest step
 * and short enough that a hung CI job is noticed (a module's top level has the same limit as it
 * is loaded: files.ts MODULE_LOAD_WALL_MS).
 */
export const WATCHDOG_DEFAULTS: Readonly<WatchdogLimits> = { instantEntries: 1_000_000, wallMs: MODULE_LOAD_WALL_MS };

/**
 * Kernel entries per slice of a run: the run checks for stopped time between slices, and
 * gives the event loop a turn about every SLICE_WALL_MS of wall time (whole slices, so the
 * simulation does not depend on the wall clock). 64 entries take microseconds, so a chunk of
 * slices passes SLICE_WALL_MS by at most one slice: the wall-time watchdog (a chunk's node:vm
 * timeout) fires only on entries of wallMs / 64 each on average (156 ms at the default 10 s),
 * not on honest firmware whose steps are merely slow (2^16 entries a slice ended a module
 * doing 1 ms of JavaScript per step after 2 s). No slowdown measured against 2^16: a
 * 200,000-message flood took 7.6-8.1 s before and 6.0-6.8 s after on the busy development
 * machine (wall time of the CLI, 2026-12-02).
 */
const SLICE_ENTRIES = 64;
/** Wall-clock milliseconds of slices between two turns of the event loop (signal handlers run then). */
const SLICE_WALL_MS = 50;

export interface StatSummary {
  count: number;
  /** In ns. */
  ns: { min: number; mean: number; p50: number; p90: number; p99: number; max: number };
  /** In cycles of each core's clock. */
  cycles: Record<string, { min: number; mean: number; p50: number; p90: number; p99: number; max: number }>;
  exact: boolean;
  /** The values in equal-width bins with edges in ns (sim/stats/latency-stats.ts histogramOf: the binning). */
  histogram: { widthNs: number; edgesNs: number[]; counts: number[] };
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
  /**
   * 'time' | 'messages' | 'finished' (the app ended the run) | 'idle' (nothing left to do) |
   * 'tick-limit' (a run with no time limit reached 2^53 ticks, the end of simulated time) |
   * 'watchdog' (no progress: see `watchdog`).
   */
  stopReason: 'time' | 'messages' | 'finished' | 'idle' | 'tick-limit' | 'watchdog';
  ticks: number;
  tickHz: number;
  simulatedNs: number;
  messages: Record<'masterToRemote' | 'remoteToMaster', { delivered: number; bytes: number; dropped: number }>;
  latency: {
    oneWay: Record<'masterToRemote' | 'remoteToMaster', StatSummary>;
    sendReturn: Record<'masterToRemote' | 'remoteToMaster', StatSummary>;
    /** Master-initiated round trips: the master's send call to its callback's entry for the reply (phases.ts pairs them). */
    roundTrip: StatSummary;
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
  /** Only when the progress watchdog ended the run: why (the run failed). */
  watchdog?: string;
  /**
   * Who waits on what (and what each core was doing) when the run ended idle, at the tick
   * limit, by the watchdog, or at its message count with firmware still at work.
   */
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

/**
 * Runs a scenario to its end; the progress watchdog ends a run that makes no progress (see
 * WatchdogLimits). Synchronous: the event loop does not turn during the run (tests, tools);
 * the CLI uses runScenarioAsync.
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunSummary {
  const run = startRun(scenario, options);
  while (!run.slices(SLICE_WALL_MS)) {
    // (the sync run does not give the event loop a turn)
    options.onProgress?.(run.progress());
  }
  return run.finish();
}

/**
 * runScenario that gives the event loop a turn about every 50 ms of wall time, so signal
 * handlers (SIGTERM) and timers run while a long simulation goes on.
 */
export async function runScenarioAsync(scenario: Scenario, options: RunOptions = {}): Promise<RunSummary> {
  const run = startRun(scenario, options);
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  while (!run.slices(SLICE_WALL_MS)) {
    options.onProgress?.(run.progress());
    await turn();
  }
  // A signal that came during the last chunk (or during an endless loop the wall-time
  // watchdog ended) is handled before the outputs are published: two turns, as bin/cli.ts
  // explains (a signal waits in libuv's pipe until a poll phase).
  await turn();
  await turn();
  return run.finish();
}

export { RunInterrupted } from './interruptible';

/** A run under way: `slices` runs it for a while (true once it has ended), `finish` makes the summary. */
interface ScenarioRun {
  slices(wallMs: number): boolean;
  progress(): RunProgress;
  finish(): RunSummary;
}

function startRun(scenario: Scenario, options: RunOptions): ScenarioRun {
  const limits: WatchdogLimits = { ...WATCHDOG_DEFAULTS, ...options.watchdog };
  const metrics = new MetricsCollector();
  const links = new LinkWatcher();
  let tracer: Tracer | null = null;
  const sys = buildRpmsgSystem(scenario.platform, {
    ...systemOptions(scenario),
    tracer: (kernel) => {
      tracer = new Tracer(kernel);
      tracer.addSink(metrics);
      tracer.addSink(links);
      return tracer;
    },
  });
  if (scenario.faults !== undefined) {
    // before any writer opens (a --fault joins after the loader, which checked the file's)
    checkFaultTimes(scenario.faults, sys);
    checkFaults(scenario.faults, sys);
  }
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
  // Round trips' spans, for their percentiles and histogram in the summary.
  const roundTrips = new LatencyStats();
  const onRoundTrip = options.onRoundTripPhases;
  phases.onRoundTrip = (segments, span) => {
    roundTrips.add(span);
    onRoundTrip?.(segments, span);
  };
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
  const progress: StepProgress = {};
  for (const role of ROLES) {
    const onStep = (index: number) => {
      progress[role] = { index, since: k.now };
    };
    programs[role] = programOf(scenario[role], role, { mark: dump, ticks, onStep }, apps, options.modules?.[role]);
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
  const until = scenario.stop.time !== undefined ? (ticks(scenario.stop.time) as Ticks) : undefined;
  // How the run ended: a kernel stop reason, the tick limit, or the watchdog's finding.
  let ended: { reason: 'kernel'; kernel: string } | { reason: 'tick-limit' } | { reason: 'watchdog'; why: string } | null = null;
  // Simulated time stands still: since which instant, and the kernel's entry count then.
  let stillAt = -1;
  let stillSince = 0;
  /** One slice of at most SLICE_ENTRIES kernel entries; true once the run has ended. */
  const slice = (): boolean => {
    try {
      const r = k.run({ ...(until !== undefined && { until }), maxEvents: SLICE_ENTRIES });
      if (r.reason === 'stalled') ended = { reason: 'watchdog', why: k.stallReport ?? 'a model reported a stall' };
      else if (r.reason !== 'limit') ended = { reason: 'kernel', kernel: r.reason };
    } catch (error) {
      // A wait past 2^53 ticks: the end of simulated time, an ordinary end of a run with no time limit.
      if (!(error instanceof ProcessError && error.cause instanceof TickLimitError)) throw error;
      ended = { reason: 'tick-limit' };
    }
    if (ended !== null) return true;
    if (k.now !== stillAt) {
      stillAt = k.now;
      stillSince = k.eventsRun;
    } else if (k.eventsRun - stillSince >= limits.instantEntries) {
      ended = {
        reason: 'watchdog',
        why: `simulated time did not advance for ${k.eventsRun - stillSince} kernel entries (the limit is ${limits.instantEntries})`,
      };
      return true;
    }
    return false;
  };
  /** Slices for about `wallMs` of wall time, inside a call the wall-time watchdog (and Ctrl-C) can interrupt. */
  const slices = (wallMs: number): boolean => {
    if (ended !== null) return true;
    const deadline = performance.now() + wallMs;
    const chunk = (): boolean => {
      for (;;) {
        if (slice()) return true;
        if (performance.now() >= deadline) return false;
      }
    };
    try {
      return interruptibly(chunk, limits.wallMs);
    } catch (error) {
      const how = interruption(error);
      if (how === 'sigint') {
        // Named as the CLI's signal handler names them (bin/process-handlers.ts), before the
        // writers' temporaries are removed.
        const notWritten = liveTemporaries().flatMap((t) => (t.target === undefined ? [] : [t.target]));
        tracer!.abort();
        throw new RunInterrupted('SIGINT', notWritten);
      }
      if (how !== 'timeout') throw error;
      const role = ROLES.find((r) => sys[r].core.name === k.active?.name);
      const fw = role === undefined ? undefined : scenario[role].firmware;
      const module = fw?.kind === 'module' ? ` (the ${role}'s module ${basename(fw.path)}, export ${fw.export})` : '';
      const running = k.active === null ? 'the simulation' : `process "${k.active.name}"${module}`;
      ended = {
        reason: 'watchdog',
        why: `${running} ran for ${limits.wallMs} ms of wall time at ${k.timebase.format(k.now)} (tick ${k.now}) without returning to the kernel (an endless loop in firmware?)`,
      };
      return true;
    }
  };
  const finish = (): RunSummary => {
    const end = ended!;
    const stopReason: RunSummary['stopReason'] =
      end.reason !== 'kernel' ? end.reason : end.kernel === 'time' ? 'time' : stoppedForMessages ? 'messages' : end.kernel === 'stopped' ? 'finished' : 'idle';
    // The report: who waits on what. At a message-count stop only when some core's firmware
    // has not returned from main() (still at work or waiting); not at a time stop, where
    // every summary of the golden library has it empty.
    const stillWaiting = stopReason === 'messages' && [sys.master, sys.remote].some((side) => !side.core.mainReturned && side.core.lockup === null);
    const report =
      stopReason === 'idle'
        ? describeBlocked(sys, scenario, progress)
        : stopReason === 'tick-limit' || stopReason === 'watchdog' || stillWaiting
          ? describeWaits(sys, scenario, progress)
          : [];
    if (end.reason === 'watchdog' && tracer!.on.watchdog) {
      tracer!.put({ t: k.now, component: 'watchdog', kind: 'watchdog', reason: end.why, report: report.join('\n') });
    }
    dump('end');
    tracer!.close();
    const summary = summarise(scenario, sys, metrics, phases, roundTrips, links, intervals, stopReason, ticks, report, end.reason === 'watchdog' ? end.why : undefined);
    if (scenario.expect.faults !== undefined) {
      const lockups = { master: sys.master.core.lockup !== null, remote: sys.remote.core.lockup !== null };
      summary.expectations.push(...faultExpectations(scenario.expect.faults, faults, lockups, ticks, (t) => k.timebase.toNs(t as Ticks)));
      summary.ok = summary.expectations.every((e) => e.ok);
    }
    return summary;
  };
  const stopNs = until === undefined ? undefined : k.timebase.toNs(until);
  const whereNow = (): RunProgress => ({ simulatedNs: k.timebase.toNs(k.now), messages: metrics.delivered.m2r + metrics.delivered.r2m, stopNs, stopMessages: scenario.stop.messages });
  return { slices, progress: whereNow, finish };
}

/** Each role's step (steps programs): its index and the tick it began at; index = steps.length once all have run. */
type StepProgress = Partial<Record<Role, { index: number; since: number }>>;

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
  hooks: { mark(label: string): void; ticks(d: Duration): number; onStep(index: number): void },
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
  roundTrips: LatencyStats,
  links: LinkWatcher,
  intervals: ReadonlyMap<string, PinIntervalCollector>,
  stopReason: RunSummary['stopReason'],
  ticks: (d: Duration) => number,
  blocked: string[],
  watchdog: string | undefined,
): RunSummary {
  const k = sys.kernel;
  const tb = k.timebase;
  const now = k.now;
  const cores = sys.soc.cores;
  const stat = (s: LatencyStats): StatSummary => {
    const x = s.summary();
    const p90 = s.percentile(0.9);
    const pick = (f: (v: number) => number) => ({ min: f(x.min), mean: f(x.mean), p50: f(x.p50), p90: f(p90), p99: f(x.p99), max: f(x.max) });
    return {
      count: x.count,
      ns: pick((v) => round3(tb.toNs(v as Ticks))),
      cycles: Object.fromEntries(cores.map((c) => [c.name, pick((v) => round3(v / c.clock.period))])),
      exact: x.exact,
      histogram: nsHistogram(histogramOf(s, (v) => tb.toNs(v as Ticks))),
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
      roundTrip: stat(roundTrips),
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
    ...(watchdog !== undefined && { watchdog }),
    blocked,
    expectations: [],
    ok: true,
  };
  summary.expectations = checkExpectations(scenario, summary, metrics, intervals, ticks, tb.toNs.bind(tb));
  summary.ok = watchdog === undefined && summary.expectations.every((e) => e.ok);
  return summary;
}

/** The run ended idle: each core waits for an interrupt nothing will raise; what its firmware waits on. */
/** A core a `halt` fault stopped (scenario-engine/faults.ts), as the reports name it. */
const HALTED_ALL = 'halted by a fault: it executes nothing, interrupts included';
const HALTED_THREAD = 'its thread mode halted by a fault; interrupts are still taken';

function describeBlocked(sys: ReturnType<typeof buildRpmsgSystem>, scenario: Scenario, progress: StepProgress): string[] {
  const out: string[] = [];
  for (const [role, side] of [['master', sys.master], ['remote', sys.remote]] as const) {
    const c = side.core;
    if (c.lockup !== null) out.push(`core ${c.name}: locked up after ${c.lockup.fault.message}`);
    else if (c.haltedBy === 'all') out.push(`core ${c.name}: ${HALTED_ALL}`);
    else out.push(`core ${c.name}: ${c.inHandler ? `in the handler of interrupt ${c.activeLine}` : 'in thread mode'}${c.haltedBy === 'thread' ? ` (${HALTED_THREAD})` : ''}, waiting for an interrupt (WFI) that nothing will raise`);
    const step = describeStep(sys, scenario, role, progress);
    if (step !== null) out.push(`core ${c.name}: ${step}`);
    for (const line of environmentOf(side.env).idleReport(side.env)) out.push(`core ${c.name}: ${line}`);
  }
  for (const b of sys.kernel.blocked()) {
    if (!sys.soc.cores.some((c) => c.name === b.process)) out.push(`process ${b.process} waits for ${b.waitsFor}`);
  }
  return out;
}

/**
 * The run ended at the tick limit or by the watchdog: what each core was doing (mode, WFI,
 * PRIMASK, its pending and enabled interrupt lines), its steps program's step, its RTOS
 * tasks, and every other process that waits.
 */
function describeWaits(sys: ReturnType<typeof buildRpmsgSystem>, scenario: Scenario, progress: StepProgress): string[] {
  const out: string[] = [];
  const k = sys.kernel;
  for (const [role, side] of [['master', sys.master], ['remote', sys.remote]] as const) {
    const c = side.core;
    if (c.lockup !== null) {
      out.push(`core ${c.name}: locked up after ${c.lockup.fault.message}`);
      continue;
    }
    if (c.haltedBy === 'all') {
      out.push(`core ${c.name}: ${HALTED_ALL}`);
      continue;
    }
    const mode = `${c.inHandler ? `in the handler of interrupt ${c.activeLine}` : 'in thread mode'}${c.haltedBy === 'thread' ? ` (${HALTED_THREAD})` : ''}`;
    const doing = c.asleep ? 'asleep in WFI' : c.mainReturned && !c.inHandler ? 'main() has returned' : 'running';
    const nvic = c.nvic;
    const pending: string[] = [];
    for (let n = -2; n < nvic.lineCount; n++) {
      if (n !== -2 && n !== -1 && n < 0) continue; // the system exceptions the controller models: PendSV, SysTick
      if (nvic.isPending(n)) pending.push(`${irqLabel(n)}${n >= 0 && !nvic.isEnabled(n) ? ' (disabled)' : ''}`);
    }
    const mailbox = sys.soc.irqLines.filter((l) => l.core === c.name).map((l) => `${irqLabel(l.line)} ${nvic.isEnabled(l.line) ? 'enabled' : 'disabled'}`);
    out.push(
      `core ${c.name}: ${mode}, ${doing}, PRIMASK ${c.interruptsMasked ? 'set (interrupts masked)' : 'clear'}, ` +
        `pending: ${pending.length === 0 ? 'none' : pending.join(', ')}` +
        (mailbox.length > 0 ? `; mailbox interrupt ${mailbox.join(', ')}` : ''),
    );
    const step = describeStep(sys, scenario, role, progress);
    if (step !== null) out.push(`core ${c.name}: ${step}`);
    for (const line of environmentOf(side.env).waitReport(side.env)) out.push(`core ${c.name}: ${line}`);
  }
  for (const b of k.blocked()) {
    if (!sys.soc.cores.some((c) => c.name === b.process)) out.push(`process ${b.process} waits for ${b.waitsFor}`);
  }
  return out;
}

/** A steps program's step: which, since when, what it waits for; null for other firmware or before the first step. */
function describeStep(sys: ReturnType<typeof buildRpmsgSystem>, scenario: Scenario, role: Role, progress: StepProgress): string | null {
  const fw = scenario[role].firmware;
  const at = progress[role];
  if (fw.kind !== 'steps' || at === undefined) return null;
  const tb = sys.kernel.timebase;
  const time = (t: number) => `${tb.format(t)} (tick ${t})`;
  if (at.index >= fw.steps.length) return `every step has run (the last ended at ${time(at.since)})`;
  const step = fw.steps[at.index]!;
  return `step ${at.index + 1} of ${fw.steps.length}, ${stepText(step)}, since ${time(at.since)}`;
}

/** A step as the report names it: its kind and what it waits for. */
function stepText(step: Step): string {
  const timeout = (t: number | 'block') => (t === 'block' ? 'no timeout (RL_BLOCK)' : `timeout ${t} ms`);
  switch (step.kind) {
    case 'wait-link-up':
      return `wait-link-up (for the link to come up, ${timeout(step.timeoutMs)})`;
    case 'receive':
      return `receive (${step.count} message${step.count === 1 ? '' : 's'} on endpoint "${step.endpoint}", ${step.timeout === undefined ? 'no timeout' : 'with a timeout'})`;
    case 'queue-receive':
      return `queue-receive (${step.count} message${step.count === 1 ? '' : 's'} from the queue of endpoint "${step.endpoint}", ${timeout(step.timeoutMs)})`;
    case 'send':
    case 'send-nocopy':
      return `${step.kind} (from "${step.from}" to ${typeof step.to === 'number' ? step.to : `"${step.to}"`}, ${timeout(step.timeoutMs)})`;
    default:
      return step.kind;
  }
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

function nsHistogram(h: Histogram): StatSummary['histogram'] {
  return { widthNs: h.width, edgesNs: h.edges, counts: h.counts };
}

function round3(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}
