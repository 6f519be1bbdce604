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
// Parts: at every boundary the counters of both cores are read (Core.stats and the bus
// master's stats, for its contention stalls); a phase's parts are the differences on the
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
// Memory stays flat and the cost small: counters are read only at the boundary records, into
// one buffer per message, dropped at its callback's return (its delivery for a dropped
// message); the accumulators keep sums and the first message's values.

import type { CoreStats } from '../sim/hw/core';
import type { BusStats } from '../sim/hw/bus';
import { type RecordHandlers, type TraceRecord, type TraceSink, dispatchRecord } from '../sim/trace/trace';
import { ByMessage, isSend } from './metrics';
import { InternalError } from '../sim/kernel';


/** One counter reported as a part of the phases (in cycles of the core that counts it). */
export interface PhasePart {
  readonly key: string;
  readonly label: string;
  readonly read: (core: Readonly<CoreStats>, bus: Readonly<Pick<BusStats, 'stallCycles'>>) => number;
}

/**
 * The counters the breakdown reports as parts, in order. A new stall counter of CoreStats is
 * one line here, as `cacheMaintenance` below is.
 */
export const PHASE_PARTS = [
  { key: 'fetchStall', label: 'fetch', read: (c) => c.fetchStallCycles },
  { key: 'dataStall', label: 'data', read: (c) => c.dataStallCycles },
  { key: 'busStall', label: 'bus', read: (_c, bus) => bus.stallCycles },
  { key: 'exceptionMemory', label: 'exc-mem', read: (c) => c.exceptionMemoryCycles },
  { key: 'cacheMaintenance', label: 'cache', read: (c) => c.cacheMaintenanceCycles },
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

/**
 * The parts `PhaseCollector.sampleInto` reads, in this order, field by field (a loop over
 * the `read` functions costs a call per counter at every boundary): a part added to
 * PHASE_PARTS is added there too, and this check says so at load time.
 */
const SAMPLED_PARTS = ['fetchStall', 'dataStall', 'busStall', 'exceptionMemory', 'cacheMaintenance'];
if (PHASE_PARTS.map((p) => p.key).join() !== SAMPLED_PARTS.join()) {
  throw new InternalError(`phases.ts: PhaseCollector.sampleInto reads ${SAMPLED_PARTS.join(', ')}; PHASE_PARTS lists ${PHASE_PARTS.map((p) => p.key).join(', ')}`);
}

/** The phase that runs on no core (parts null). */
const CROSSING = 2;
const PHASES = MESSAGE_PHASES.length;
/** Parts per core. */
const P = PHASE_PARTS.length;
/** One sample: the parts of both cores, master's first. */
const W = 2 * P;

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
  /** Its live counters (read at the boundaries, never copied whole). */
  readonly stats: Readonly<CoreStats>;
  readonly bus: Readonly<Pick<BusStats, 'stallCycles'>>;
}

export interface PhaseSetup {
  /** Master first, then remote. */
  readonly cores: readonly [PhaseCore, PhaseCore];
  /** Names of the mailbox register targets, as `bus` records name them. */
  readonly mailboxTargets: ReadonlySet<string>;
}

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
  /** Boundaries seen so far (b0 first). */
  readonly t: number[];
  /** The sample at each boundary: b_k's at k * W. */
  /** (A plain array: kept on the heap. A typed array this small would have its bytes outside it, one allocation per message that only a full collection gives back.) */
  readonly c: number[];
  sendOpen: boolean;
  complete: boolean;
}

/** Sums and first values of a fixed list of segments, each measured on one core. */
export class SegmentStats {
  count = 0;
  private readonly sum: Float64Array;
  private readonly partSum: Float64Array;
  first: { ticks: number[]; parts: (number[] | null)[] } | null = null;

  /** `cores[i]`: the core (0 master, 1 remote) of segment i; `noParts`: segments without parts. */
  constructor(
    readonly cores: readonly number[],
    private readonly noParts: ReadonlySet<number> = new Set(),
  ) {
    this.sum = new Float64Array(cores.length);
    this.partSum = new Float64Array(cores.length * P);
  }

  /** One more: segment ticks, and parts (P per segment, segment i's at i * P). */
  add(ticks: ArrayLike<number>, parts: ArrayLike<number>): void {
    const n = this.cores.length;
    if (this.count === 0) {
      this.first = {
        ticks: Array.from({ length: n }, (_, i) => ticks[i]!),
        parts: Array.from({ length: n }, (_, i) => (this.noParts.has(i) ? null : Array.from({ length: P }, (_, j) => parts[i * P + j]!))),
      };
    }
    this.count++;
    for (let i = 0; i < n; i++) this.sum[i]! += ticks[i]!;
    for (let i = 0; i < n * P; i++) this.partSum[i]! += parts[i]!;
  }

  meanTicks(i: number): number {
    return this.count === 0 ? NaN : this.sum[i]! / this.count;
  }

  meanPart(i: number, j: number): number {
    return this.count === 0 ? NaN : this.partSum[i * P + j]! / this.count;
  }
}

export class PhaseCollector implements TraceSink {
  /** Of the bus records, only the mailbox's (the doorbell write). */
  readonly busTargets: ReadonlySet<string>;
  readonly oneWay: Record<Dir, SegmentStats>;
  readonly callback: Record<Dir, SegmentStats>;
  /** Master-initiated round trips: X's phases, callback, reply, Y's phases. */
  readonly roundTrip: SegmentStats;
  readonly complete: Record<Dir, number> = { m2r: 0, r2m: 0 };
  /** Every message broken down (tests, tools). */
  onMessage: ((b: MessageBreakdown) => void) | null = null;
  /** Every round trip: its segments in ticks and its span (tests, tools). */
  onRoundTrip: ((segments: number[], span: number) => void) | null = null;

  private readonly byName = new Map<string, number>();
  private readonly byController = new Map<string, number>();
  /** Per core: the start of its open send call (-1: none) and the sample there. */
  private readonly callAt = [-1, -1];
  private readonly callSample = [new Float64Array(W), new Float64Array(W)];
  private readonly flights: Flight[] = [];
  /** Delivered messages whose callback has not returned, by "dir:msg". */
  private readonly callbacks: Record<Dir, ByMessage<Flight>> = { m2r: new ByMessage(), r2m: new ByMessage() };
  /** The remote's last master→remote delivery still waiting for its reply, and its callback's end. */
  private request: { x: Flight; endT: number; endC: number[] | null } | null = null;
  /** Replies (remote→master message numbers) paired with their request. */
  private readonly replies = new ByMessage<{ x: Flight; endT: number; endC: number[] | null }>();
  private readonly scratchTicks = new Float64Array(PHASES);
  private readonly scratchParts = new Float64Array(PHASES * P);
  private readonly tripTicks = new Float64Array(2 * PHASES + 2);
  private readonly tripParts = new Float64Array((2 * PHASES + 2) * P);
  private readonly scratchSample = new Float64Array(W);

  constructor(private readonly setup: PhaseSetup) {
    this.busTargets = setup.mailboxTargets;
    setup.cores.forEach((c, i) => {
      this.byName.set(c.name, i);
      this.byController.set(c.controller, i);
    });
    const on = (dir: Dir, which: 'sender' | 'receiver') => ((dir === 'm2r') === (which === 'sender') ? 0 : 1);
    const cores = (dir: Dir) => MESSAGE_PHASES.map((p) => on(dir, p.on));
    this.oneWay = { m2r: new SegmentStats(cores('m2r'), new Set([CROSSING])), r2m: new SegmentStats(cores('r2m'), new Set([CROSSING])) };
    this.callback = { m2r: new SegmentStats([1]), r2m: new SegmentStats([0]) };
    this.roundTrip = new SegmentStats([...cores('m2r'), 1, 1, ...cores('r2m')], new Set([CROSSING, PHASES + 2 + CROSSING]));
  }

  /** Both cores' parts now, into `into` at `at` (PHASE_PARTS order, read field by field: see SAMPLED_PARTS). */
  private sampleInto(into: Float64Array | number[], at: number): void {
    const cores = this.setup.cores;
    for (let i = 0; i < 2; i++) {
      const core = cores[i]!;
      const s = core.stats;
      const o = at + i * P;
      into[o] = s.fetchStallCycles;
      into[o + 1] = s.dataStallCycles;
      into[o + 2] = core.bus.stallCycles;
      into[o + 3] = s.exceptionMemoryCycles;
      into[o + 4] = s.cacheMaintenanceCycles;
    }
  }

  readonly handlers: RecordHandlers = {
    'rl-call': (r) => {
      const i = this.byName.get(r.component);
      if (i !== undefined && isSend(r.fn)) {
        this.callAt[i] = r.t;
        this.sampleInto(this.callSample[i]!, 0);
      }
    },
    'rl-enqueue': (r) => {
      const i = this.byName.get(r.component);
      if (i === undefined) return;
      const c = new Array<number>((PHASES + 1) * W).fill(0);
      const open = this.callAt[i]! >= 0;
      if (open) {
        const call = this.callSample[i]!;
        for (let j = 0; j < W; j++) c[j] = call[j]!;
      } else this.sampleInto(c, 0);
      const f: Flight = { dir: r.dir, msg: r.msg, sender: i, receiver: 1 - i, t: [open ? this.callAt[i]! : r.t], c, sendOpen: true, complete: true };
      this.flights.push(f);
      const q = this.request;
      if (i === 1 && r.dir === 'r2m' && q !== null && f.t[0]! >= q.x.t[PHASES]!) {
        this.replies.set(r.msg, q);
        this.request = null;
      }
    },
    'rl-notify': (r) => {
      const i = this.byName.get(r.component);
      if (i !== undefined) this.advance(r.t, i, -1, 1, true);
    },
    bus: (r) => {
      if (r.op === 'write' && this.setup.mailboxTargets.has(r.target)) {
        const i = this.byName.get(r.component);
        if (i !== undefined) this.advance(r.t, i, -1, 2, true);
      }
    },
    'rl-return': (r) => {
      const i = this.byName.get(r.component);
      if (i === undefined) return;
      if (isSend(r.fn)) this.callAt[i] = -1;
      for (const f of this.flights) {
        if (f.sender !== i || !f.sendOpen) continue;
        f.sendOpen = false;
        if (f.t.length >= 3) continue;
        // b1 and b2 not seen while the call was open: its return
        f.complete = false;
        while (f.t.length < 3) {
          this.sampleInto(f.c, f.t.length * W);
          f.t.push(r.t);
        }
      }
    },
    'irq-pending': (r) => {
      const j = this.byController.get(r.component);
      if (j !== undefined && this.setup.cores[j]!.mailboxLines.includes(r.line)) this.advance(r.t, -1, j, 3, false);
    },
    'handler-start': (r) => {
      const j = this.byName.get(r.component);
      if (j !== undefined && this.setup.cores[j]!.mailboxLines.includes(r.line)) this.advance(r.t, -1, j, 4, false);
    },
    'rl-deliver': (r) => {
      this.deliver(r.t, r.dir, r.msg, r.ept >= 0);
    },
    'rl-callback-return': (r) => {
      this.callbackReturn(r.t, r.dir, r.msg);
    },
  };

  record(r: TraceRecord): void {
    dispatchRecord(this.handlers, r);
  }

  /** Boundary `k` at `t` for the flights of this sender (or receiver) waiting for it (the sender's: in the send call). */
  private advance(t: number, sender: number, receiver: number, k: number, inCall: boolean): void {
    for (const f of this.flights) {
      if (f.t.length !== k || (sender >= 0 && f.sender !== sender) || (receiver >= 0 && f.receiver !== receiver) || (inCall && !f.sendOpen)) continue;
      this.sampleInto(f.c, k * W);
      f.t.push(t);
    }
  }

  private deliver(t: number, dir: Dir, msg: number, delivered: boolean): void {
    const at = this.flights.findIndex((f) => f.dir === dir && f.msg === msg);
    if (at < 0) return;
    const f = this.flights[at]!;
    this.flights.splice(at, 1);
    if (!delivered) return;
    if (f.t.length < PHASES) f.complete = false;
    while (f.t.length < PHASES) {
      // not seen: collapses onto the boundary before (b1 and b2 too if the send never returned)
      const k = f.t.length;
      f.c.copyWithin(k * W, (k - 1) * W, k * W);
      f.t.push(f.t[k - 1]!);
    }
    this.sampleInto(f.c, PHASES * W);
    f.t.push(t);
    const stats = this.oneWay[dir];
    const ticks = this.scratchTicks;
    const parts = this.scratchParts;
    this.phasesOf(f, ticks, parts, 0);
    stats.add(ticks, parts);
    if (f.complete) this.complete[dir]++;
    this.callbacks[dir].set(msg, f);
    if (dir === 'm2r' && f.receiver === 1) this.request = { x: f, endT: -1, endC: null };
    else if (dir === 'r2m') this.finishRoundTrip(f);
    if (this.onMessage !== null) {
      const phases = Array.from({ length: PHASES }, (_, i) => ticks[i]!);
      const byPhase = Array.from({ length: PHASES }, (_, i) => (i === CROSSING ? null : Array.from({ length: P }, (_, j) => parts[i * P + j]!)));
      this.onMessage({ dir, msg, boundaries: [...f.t], complete: f.complete, phases, parts: byPhase, latency: f.t[PHASES]! - f.t[0]! });
    }
  }

  /** A delivered flight's phase ticks into `ticks` from index `from`, and their parts (P each) into `parts`. */
  private phasesOf(f: Flight, ticks: Float64Array, parts: Float64Array, from: number): void {
    for (let i = 0; i < PHASES; i++) {
      ticks[from + i] = f.t[i + 1]! - f.t[i]!;
      const core = MESSAGE_PHASES[i]!.on === 'sender' ? f.sender : f.receiver;
      for (let j = 0; j < P; j++) {
        parts[(from + i) * P + j] = i === CROSSING ? 0 : f.c[(i + 1) * W + core * P + j]! - f.c[i * W + core * P + j]!;
      }
    }
  }

  private callbackReturn(t: number, dir: Dir, msg: number): void {
    const f = this.callbacks[dir].get(msg);
    if (f === undefined) return;
    this.callbacks[dir].delete(msg);
    const now = this.scratchSample;
    this.sampleInto(now, 0);
    const parts = this.scratchParts;
    const base = PHASES * W + f.receiver * P;
    for (let j = 0; j < P; j++) parts[j] = now[f.receiver * P + j]! - f.c[base + j]!;
    this.scratchTicks[0] = t - f.t[PHASES]!;
    this.callback[dir].add(this.scratchTicks, parts);
    if (dir === 'm2r' && this.request !== null && this.request.x === f) {
      this.request.endT = t;
      this.request.endC = Array.from(now);
    }
  }

  private finishRoundTrip(y: Flight): void {
    const p = this.replies.get(y.msg);
    if (p === undefined) return;
    this.replies.delete(y.msg);
    const x = p.x;
    const ticks = this.tripTicks;
    const parts = this.tripParts;
    this.phasesOf(x, ticks, parts, 0);
    // the callback ends at its return, or at the reply's send call if the callback sends it
    const t5 = x.t[PHASES]!;
    const t0 = y.t[0]!;
    const ended = p.endC !== null && p.endT <= t0;
    const endT = ended ? p.endT : t0;
    ticks[PHASES] = endT - t5;
    ticks[PHASES + 1] = t0 - endT;
    const remote = P; // the remote's parts in a sample
    for (let j = 0; j < P; j++) {
      const atEnd = ended ? p.endC![remote + j]! : y.c[remote + j]!;
      parts[PHASES * P + j] = atEnd - x.c[PHASES * W + remote + j]!;
      parts[(PHASES + 1) * P + j] = y.c[remote + j]! - atEnd;
    }
    this.phasesOf(y, ticks, parts, PHASES + 2);
    this.roundTrip.add(ticks, parts);
    this.onRoundTrip?.(Array.from(ticks), y.t[PHASES]! - x.t[0]!);
  }
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
