// Where the time goes: each message's one-way latency cut into phases at records of its path
// through both cores and the mailbox, and the core counters (stalls) sampled at the same
// records to say what part of each phase the core spent waiting, and on what.
//
// The phases of one message (direction `dir`, number `msg`; sender S, receiver R), each from
// one boundary record to the next (docs/timing-model.md "Where the time goes"):
//   b0 send call      S's rl-call of rpmsg_lite_send / _send_nocopy that enqueued it (its
//                     rl-enqueue when no send call is open, as metrics.ts does)
//   b1 notify start   S's first rl-notify after the rl-enqueue (platform_notify begins)
//   b2 doorbell       S's first bus write to a mailbox register after b1, as it completes
//   b3 pending        R's interrupt controller latches R's mailbox line (irq-pending) after b2
//   b4 handler start  R's handler-start for that mailbox line after b3
//   b5 callback entry R's rl-deliver of the message (where its latency ends)
//   b6 callback end   R's rl-callback-return of the message (after the latency: reported apart)
// send path = b0..b1, notify = b1..b2, mailbox crossing = b2..b3, interrupt entry = b3..b4,
// ISR and dispatch = b4..b5, callback = b5..b6. The phases telescope, so they add up to the
// latency b5 - b0 exactly, in ticks.
//
// A boundary that does not happen (the kick was suppressed, the doorbell was already rung,
// an ISR already running took the message off the ring with no new interrupt) collapses:
// b1 and b2 not seen when S's call returns become that return; b3 and b4 not seen at the
// delivery become the boundary before them (their phases are 0 and the time goes to the
// next phase that was seen). Such a message is counted as not `complete`.
//
// Parts: at every boundary the counters of both cores are sampled (Core.statsNow, which
// includes the bus master's contention stalls); a phase's parts are the differences on the
// core the phase runs on (S for send path and notify, R for interrupt entry, ISR and
// dispatch, callback; the crossing runs on no core: no parts). Exact for counters that move
// at the boundaries; approximate where a boundary falls inside an operation of that core:
// counters move when an operation ends (fetch and bus stalls) or starts (data stalls), so
// such an operation's stalls land in the phase where it ends or starts. Parts may overlap
// (a vector fetch's stall counts in fetch stalls and in exception memory): they are not
// meant to add up to the phase.
//
// Round trip (the app pairs messages, as ping-pong does): a master→remote message X, then the
// first remote→master message Y whose send call begins on the remote after X's delivery and
// before the remote's next delivery of a master→remote message. Its segments: X's five
// phases, the remote's callback of X (b5 of X to its b6, or to Y's send call if that comes
// first), the remote's work until it sends the reply (to Y's b0), Y's five phases: they add up
// to Y's b5 - X's b0 exactly.
//
// Memory stays flat: a message's state is dropped at its delivery (its callback's at the
// callback's return); the accumulators keep sums and the first message's values.

import type { CoreStats } from '../sim/hw/core';
import type { TraceRecord, TraceSink } from '../sim/trace/trace';

const SEND_FNS = new Set(['rpmsg_lite_send', 'rpmsg_lite_send_nocopy']);

export type CoreCounters = CoreStats & { stallCycles: number };

/** One counter reported as a part of the phases (in cycles of the core that counts it). */
export interface PhasePart {
  readonly key: string;
  readonly label: string;
  readonly read: (s: CoreCounters) => number;
}

/**
 * The counters the breakdown reports as parts, in order. A new stall counter of CoreStats is
 * one line here (e.g. `{ key: 'cacheMaintenance', label: 'cache', read: (s) => s.cacheMaintenanceCycles }`).
 */
export const PHASE_PARTS = [
  { key: 'fetchStall', label: 'fetch', read: (s) => s.fetchStallCycles },
  { key: 'dataStall', label: 'data', read: (s) => s.dataStallCycles },
  { key: 'busStall', label: 'bus', read: (s) => s.stallCycles },
  { key: 'exceptionMemory', label: 'exc-mem', read: (s) => s.exceptionMemoryCycles },
] as const satisfies readonly PhasePart[];

export type PartKey = (typeof PHASE_PARTS)[number]['key'];

/** The phases of one message, in order; `on`: the core whose cycles measure it (and whose counters give its parts). */
export const MESSAGE_PHASES = [
  { key: 'sendPath', label: 'send path', on: 'sender' },
  { key: 'notify', label: 'notify', on: 'sender' },
  { key: 'mailboxCrossing', label: 'mailbox crossing', on: 'receiver' },
  { key: 'interruptEntry', label: 'interrupt entry', on: 'receiver' },
  { key: 'isrDispatch', label: 'ISR and dispatch', on: 'receiver' },
] as const;

export type PhaseKey = (typeof MESSAGE_PHASES)[number]['key'];

/** What the text summary calls each phase and round-trip segment. */
export const PHASE_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(MESSAGE_PHASES.map((p) => [p.key, p.label])),
  callback: 'callback',
  reply: 'until the reply is sent',
};

/** The phase that runs on no core (parts null). */
const CROSSING = 2;

type Dir = 'm2r' | 'r2m';

/** A core as the breakdown sees it. */
export interface PhaseCore {
  readonly name: string;
  /** Clock period in ticks. */
  readonly periodTicks: number;
  /** Component name of its interrupt controller's irq-pending records ("cm4.nvic"). */
  readonly controller: string;
  /** Its lines the mailbox drives (other lines, a SysTick's, are not a message's). */
  readonly mailboxLines: readonly number[];
  /** Its counters now. */
  counters(): CoreCounters;
}

export interface PhaseSetup {
  /** Master first, then remote. */
  readonly cores: readonly [PhaseCore, PhaseCore];
  /** Names of the mailbox register targets, as `bus` records name them. */
  readonly mailboxTargets: ReadonlySet<string>;
}

/** Part values of both cores at one moment: [core][part]. */
type Sample = number[][];

/** One message's breakdown, as handed to `onMessage`. */
export interface MessageBreakdown {
  dir: Dir;
  msg: number;
  /** b0..b5 in ticks. */
  boundaries: number[];
  /** Every boundary was seen (none collapsed). */
  complete: boolean;
  /** The five phases in ticks (sum: the latency). */
  phases: number[];
  /** Per phase, per part (PHASE_PARTS order): cycles on the phase's core; null for the crossing. */
  parts: (number[] | null)[];
  latency: number;
}

interface Flight {
  readonly dir: Dir;
  readonly msg: number;
  readonly sender: number;
  readonly receiver: number;
  readonly t: number[];
  readonly c: Sample[];
  sendOpen: boolean;
  complete: boolean;
}

/** Sums and first values of a fixed list of segments, each measured on one core. */
export class SegmentStats {
  count = 0;
  private readonly sum: number[];
  private readonly partSum: number[][];
  first: { ticks: number[]; parts: (number[] | null)[] } | null = null;

  constructor(readonly cores: readonly number[]) {
    this.sum = cores.map(() => 0);
    this.partSum = cores.map(() => PHASE_PARTS.map(() => 0));
  }

  add(ticks: number[], parts: (number[] | null)[]): void {
    if (this.count === 0) this.first = { ticks: [...ticks], parts: parts.map((p) => (p === null ? null : [...p])) };
    this.count++;
    ticks.forEach((v, i) => (this.sum[i]! += v));
    parts.forEach((p, i) => p?.forEach((v, j) => (this.partSum[i]![j]! += v)));
  }

  meanTicks(i: number): number {
    return this.count === 0 ? NaN : this.sum[i]! / this.count;
  }

  meanPart(i: number, j: number): number {
    return this.count === 0 ? NaN : this.partSum[i]![j]! / this.count;
  }
}

export class PhaseCollector implements TraceSink {
  readonly oneWay: Record<Dir, SegmentStats>;
  readonly callback: Record<Dir, SegmentStats>;
  /** Master-initiated round trips: X's phases, callback, reply, Y's phases. */
  readonly roundTrip: SegmentStats;
  readonly complete: Record<Dir, number> = { m2r: 0, r2m: 0 };
  /** Every message broken down (tests). */
  onMessage: ((b: MessageBreakdown) => void) | null = null;
  /** Every round trip: its segments in ticks and its span (tests). */
  onRoundTrip: ((segments: number[], span: number) => void) | null = null;

  private readonly byName = new Map<string, number>();
  private readonly byController = new Map<string, number>();
  private readonly sendCall: ({ t: number; c: Sample } | null)[] = [null, null];
  private readonly flights: Flight[] = [];
  private readonly callbacks = new Map<string, { t: number; c: Sample; receiver: number }>();
  /** The remote's last master→remote delivery still waiting for its reply. */
  private request: { b: MessageBreakdown; c5: Sample; end: { t: number; c: Sample } | null } | null = null;
  private readonly replies = new Map<number, { b: MessageBreakdown; c5: Sample; end: { t: number; c: Sample } | null; t0: number; c0: Sample }>();

  constructor(private readonly setup: PhaseSetup) {
    setup.cores.forEach((c, i) => {
      this.byName.set(c.name, i);
      this.byController.set(c.controller, i);
    });
    const on = (dir: Dir, which: 'sender' | 'receiver') => ((dir === 'm2r') === (which === 'sender') ? 0 : 1);
    const cores = (dir: Dir) => MESSAGE_PHASES.map((p) => on(dir, p.on));
    this.oneWay = { m2r: new SegmentStats(cores('m2r')), r2m: new SegmentStats(cores('r2m')) };
    this.callback = { m2r: new SegmentStats([1]), r2m: new SegmentStats([0]) };
    this.roundTrip = new SegmentStats([...cores('m2r'), 1, 1, ...cores('r2m')]);
  }

  private sample(): Sample {
    return this.setup.cores.map((core) => {
      const s = core.counters();
      return PHASE_PARTS.map((p) => p.read(s));
    });
  }

  record(r: TraceRecord): void {
    switch (r.kind) {
      case 'rl-call': {
        const i = this.byName.get(r.component);
        if (i !== undefined && SEND_FNS.has(r.fn)) this.sendCall[i] = { t: r.t, c: this.sample() };
        return;
      }
      case 'rl-enqueue': {
        const i = this.byName.get(r.component);
        if (i === undefined) return;
        const call = this.sendCall[i];
        const f: Flight = {
          dir: r.dir,
          msg: r.msg,
          sender: i,
          receiver: 1 - i,
          t: [call?.t ?? r.t],
          c: [call?.c ?? this.sample()],
          sendOpen: true,
          complete: true,
        };
        this.flights.push(f);
        if (i === 1 && r.dir === 'r2m' && this.request !== null && f.t[0]! >= this.request.b.boundaries[5]!) {
          this.replies.set(r.msg, { ...this.request, t0: f.t[0]!, c0: f.c[0]! });
          this.request = null;
        }
        return;
      }
      case 'rl-notify':
        this.advance(r.t, (f) => f.sendOpen && f.t.length === 1 && this.setup.cores[f.sender]!.name === r.component);
        return;
      case 'bus':
        if (r.op === 'write' && this.setup.mailboxTargets.has(r.target)) {
          this.advance(r.t, (f) => f.sendOpen && f.t.length === 2 && this.setup.cores[f.sender]!.name === r.component);
        }
        return;
      case 'rl-return': {
        const i = this.byName.get(r.component);
        if (i === undefined) return;
        if (SEND_FNS.has(r.fn)) this.sendCall[i] = null;
        let c: Sample | null = null;
        for (const f of this.flights) {
          if (f.sender !== i || !f.sendOpen) continue;
          f.sendOpen = false;
          if (f.t.length >= 3) continue;
          c ??= this.sample();
          while (f.t.length < 3) {
            f.t.push(r.t);
            f.c.push(c);
          }
          f.complete = false;
        }
        return;
      }
      case 'irq-pending': {
        const j = this.byController.get(r.component);
        if (j === undefined || !this.setup.cores[j]!.mailboxLines.includes(r.line)) return;
        this.advance(r.t, (f) => f.receiver === j && f.t.length === 3);
        return;
      }
      case 'handler-start': {
        const j = this.byName.get(r.component);
        if (j === undefined || !this.setup.cores[j]!.mailboxLines.includes(r.line)) return;
        this.advance(r.t, (f) => f.receiver === j && f.t.length === 4);
        return;
      }
      case 'rl-deliver':
        this.deliver(r.t, r.dir, r.msg, r.ept >= 0);
        return;
      case 'rl-callback-return':
        this.callbackReturn(r.t, r.dir, r.msg);
        return;
      default:
        return;
    }
  }

  /** The flights `waiting` reach their next boundary at `t`. */
  private advance(t: number, waiting: (f: Flight) => boolean): void {
    let c: Sample | null = null;
    for (const f of this.flights) {
      if (!waiting(f)) continue;
      c ??= this.sample();
      f.t.push(t);
      f.c.push(c);
    }
  }

  private deliver(t: number, dir: Dir, msg: number, delivered: boolean): void {
    const at = this.flights.findIndex((f) => f.dir === dir && f.msg === msg);
    if (at < 0) return;
    const f = this.flights[at]!;
    this.flights.splice(at, 1);
    if (!delivered) return;
    const c = this.sample();
    if (f.t.length < 5) f.complete = false;
    while (f.t.length < 5) {
      // not seen: collapses onto the boundary before (b1 and b2 still open: the send never returned)
      f.t.push(f.t[f.t.length - 1]!);
      f.c.push(f.c[f.c.length - 1]!);
    }
    f.t.push(t);
    f.c.push(c);
    const stats = this.oneWay[dir];
    const phases = MESSAGE_PHASES.map((_, i) => f.t[i + 1]! - f.t[i]!);
    const parts = MESSAGE_PHASES.map((_, i) => (i === CROSSING ? null : partsBetween(f.c[i]!, f.c[i + 1]!, stats.cores[i]!)));
    const b: MessageBreakdown = { dir, msg, boundaries: f.t, complete: f.complete, phases, parts, latency: f.t[5]! - f.t[0]! };
    stats.add(phases, parts);
    if (f.complete) this.complete[dir]++;
    this.callbacks.set(`${dir}:${msg}`, { t, c, receiver: f.receiver });
    if (dir === 'm2r') this.request = { b, c5: c, end: null };
    else this.finishRoundTrip(b);
    this.onMessage?.(b);
  }

  private callbackReturn(t: number, dir: Dir, msg: number): void {
    const key = `${dir}:${msg}`;
    const start = this.callbacks.get(key);
    if (start === undefined) return;
    this.callbacks.delete(key);
    const c = this.sample();
    this.callback[dir].add([t - start.t], [partsBetween(start.c, c, start.receiver)]);
    if (dir === 'm2r' && this.request !== null && this.request.b.msg === msg) this.request.end = { t, c };
  }

  private finishRoundTrip(y: MessageBreakdown): void {
    const p = this.replies.get(y.msg);
    if (p === undefined) return;
    this.replies.delete(y.msg);
    const x = p.b;
    // the callback ends at its return, or at the reply's send call if the callback sends it
    const end = p.end !== null && p.end.t <= p.t0 ? p.end : { t: p.t0, c: p.c0 };
    const segments = [...x.phases, end.t - x.boundaries[5]!, p.t0 - end.t, ...y.phases];
    const parts = [...x.parts, partsBetween(p.c5, end.c, 1), partsBetween(end.c, p.c0, 1), ...y.parts];
    this.roundTrip.add(segments, parts);
    this.onRoundTrip?.(segments, y.boundaries[5]! - x.boundaries[0]!);
  }
}

function partsBetween(from: Sample, to: Sample, core: number): number[] {
  return to[core]!.map((v, j) => v - from[core]![j]!);
}

// ---- the summary ---------------------------------------------------------------------------

export interface PhaseValue {
  cycles: number;
  ns: number;
}

export interface PhaseRow {
  /** A MESSAGE_PHASES key, or (round trip) `callback`, `reply`. */
  phase: string;
  /** The core whose cycles measure it. */
  core: string;
  /** The first message's (round trip's) value and the mean; null when there were none. */
  first: PhaseValue | null;
  mean: PhaseValue | null;
  /** Cycles of `core` within the phase, by counter (PHASE_PARTS); null for the crossing (no core runs it). */
  parts: { first: Record<PartKey, number> | null; mean: Record<PartKey, number> | null } | null;
}

export interface DirectionPhases {
  /** Messages broken down (delivered to an endpoint, with their enqueue seen). */
  messages: number;
  /** Of those, with every boundary seen. */
  complete: number;
  /** Their one-way latency: the sum of the phases. */
  latencyNs: { first: number | null; mean: number | null };
  phases: PhaseRow[];
  /** The receiver's callback, after the latency. */
  callback: PhaseRow & { count: number };
}

export interface RoundTripPhases {
  count: number;
  latencyNs: { first: number | null; mean: number | null };
  /** `leg`: masterToRemote, turnaround (on the remote), remoteToMaster. */
  phases: (PhaseRow & { leg: 'masterToRemote' | 'turnaround' | 'remoteToMaster' })[];
}

export interface PhasesSummary {
  masterToRemote: DirectionPhases;
  remoteToMaster: DirectionPhases;
  roundTrip: RoundTripPhases;
}

export function summarisePhases(p: PhaseCollector, cores: readonly { name: string; periodTicks: number }[], toNs: (ticks: number) => number): PhasesSummary {
  const value = (ticks: number | undefined, core: number): PhaseValue | null =>
    ticks === undefined || !Number.isFinite(ticks) ? null : { cycles: round3(ticks / cores[core]!.periodTicks), ns: round3(toNs(ticks)) };
  const row = (s: SegmentStats, i: number, phase: string, crossing: boolean): PhaseRow => {
    const first = s.first;
    const byPart = (v: (j: number) => number) => Object.fromEntries(PHASE_PARTS.map((part, j) => [part.key, round3(v(j))])) as Record<PartKey, number>;
    const parts = crossing
      ? null
      : {
          first: first === null ? null : byPart((j) => first.parts[i]![j]!),
          mean: s.count === 0 ? null : byPart((j) => s.meanPart(i, j)),
        };
    return { phase, core: cores[s.cores[i]!]!.name, first: value(first?.ticks[i], s.cores[i]!), mean: value(s.meanTicks(i), s.cores[i]!), parts };
  };
  const latency = (s: SegmentStats) => {
    const n = s.cores.length;
    const sumFirst = s.first === null ? null : s.first.ticks.reduce((a, b) => a + b, 0);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += s.meanTicks(i);
    return { first: sumFirst === null ? null : round3(toNs(sumFirst)), mean: s.count === 0 ? null : round3(toNs(mean)) };
  };
  const direction = (dir: Dir): DirectionPhases => {
    const s = p.oneWay[dir];
    const cb = p.callback[dir];
    return {
      messages: s.count,
      complete: p.complete[dir],
      latencyNs: latency(s),
      phases: MESSAGE_PHASES.map((ph, i) => row(s, i, ph.key, i === CROSSING)),
      callback: { count: cb.count, ...row(cb, 0, 'callback', false) },
    };
  };
  const rt = p.roundTrip;
  const legs = [
    ...MESSAGE_PHASES.map((ph) => ({ leg: 'masterToRemote' as const, phase: ph.key as string })),
    { leg: 'turnaround' as const, phase: 'callback' },
    { leg: 'turnaround' as const, phase: 'reply' },
    ...MESSAGE_PHASES.map((ph) => ({ leg: 'remoteToMaster' as const, phase: ph.key as string })),
  ];
  return {
    masterToRemote: direction('m2r'),
    remoteToMaster: direction('r2m'),
    roundTrip: {
      count: rt.count,
      latencyNs: latency(rt),
      phases: legs.map((l, i) => ({ leg: l.leg, ...row(rt, i, l.phase, l.phase === 'mailboxCrossing') })),
    },
  };
}

function round3(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}
