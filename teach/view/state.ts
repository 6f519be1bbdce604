// The view's state: what the page shows after the first k records of a run, computed by
// one reducer over the records. The page runs it in the browser (bundled by esbuild), the
// `view` command runs it in Node over the records before the embedded window (so the page
// starts from the right state), and the tests run it to compare with what the page shows.
// Plain data only (JSON in, JSON out): a state is copied with structuredClone for the
// checkpoints that make stepping back cheap.
//
// What each part is made of (docs/view.md "What the page shows"):
// - a core's mode from sleep/wake, irq-entry, handler-start/-end, exception-return, lockup;
//   its open rpmsg-lite calls from rl-call/rl-return; link up from rl-link-up, or the
//   master's rpmsg_lite_master_init returning 0 (down again at rpmsg_lite_deinit), as the
//   runner reads it; its controller's latched lines from
//   irq-pending (cleared by the irq-entry of that line);
// - interrupt lines from irq-line; mailbox registers: the value last written (bus writes
//   to the window); GPIO pins from gpio;
// - vring fields: the value last seen on the bus at that address (a read shows what
//   memory holds), 0 before any access (shared memory starts zeroed), as the VCD writer
//   does; after a burst write over it (bursts do not record their data) a field is the
//   value the run read from shared memory as the burst happened, at the field's address
//   with its own size (the model's `bursts`, build.ts), or null with no such value;
// - buffers: filling (a core writes part of a free buffer: not master init's clearing of whole buffers), queued (rl-enqueue), in callback
//   (rl-deliver), held (the callback returned RL_HOLD, until rpmsg_lite_release_rx_buffer
//   returns on that core: the earliest held buffer of that core is freed), free (the
//   callback returned RL_RELEASE, or the message was dropped);
// - who holds each descriptor's buffer (the master, the remote, the avail or the used ring):
//   teach/fields.ts's ring reducer over the bus records;
// - messages in flight from rl-enqueue to the rl-deliver of the same dir and msg.

import { type TraceRecord, THREAD_MODE_IRQN, irqLabel, isrLabel } from '../../sim/trace/trace';
import type { TraceHeader } from '../../sim/trace/header';
import { hex } from '../../sim/text/hex';
import { decimalsForTick, ticksToDecimal } from '../../sim/trace/tick-format';
import { type BurstValues, type RingState, initialRingState, layoutFromHeader, mailboxRegisters, placeWords, ringReducer } from '../fields';
import { type FieldNamer, type ViewLayout, teachNamer } from './layout';

export type CoreMode = 'thread' | 'entry' | 'handler' | 'exit' | 'asleep' | 'lockup';
export type BufferState = 'free' | 'filling' | 'queued' | 'in-callback' | 'held';
type Dir = 'm2r' | 'r2m';

export interface CoreState {
  mode: CoreMode;
  /** Handlers running, outermost first (IRQn). */
  handlers: number[];
  /** The line whose exception entry is under way (null: none). */
  entering: number | null;
  /** Open rpmsg-lite calls, outermost first. */
  calls: string[];
  /** Lines its interrupt controller has latched and not yet entered. */
  pending: number[];
  lockup: string | null;
}

export interface VringState {
  availFlags: number | null;
  availIdx: number | null;
  usedFlags: number | null;
  usedIdx: number | null;
  desc: { addr: number | null; len: number | null; flags: number | null; next: number | null }[];
  availRing: (number | null)[];
  usedRing: { id: number | null; len: number | null }[];
}

export interface BufferView {
  state: BufferState;
  /** The message it carries ("m2r#3"), or null. */
  msg: string | null;
  len: number;
  /** The core that last wrote it, or received it. */
  core: string | null;
}

export interface Flight {
  dir: Dir;
  msg: number;
  src: number;
  dst: number;
  len: number;
  buffer: number;
  from: string;
  to: string;
  /** Tick of its rl-enqueue. */
  t: number;
  /** Global number of its rl-enqueue record. */
  rec: number;
}

export interface ViewState {
  /** Records applied (the global number of the next record). */
  step: number;
  /** Time of the last record applied (0 before any). */
  t: number;
  cores: Record<string, CoreState>;
  lines: Record<string, boolean>;
  mailbox: Record<string, number | null>;
  pins: Record<string, boolean>;
  vrings: VringState[];
  buffers: BufferView[];
  flights: Flight[];
  counts: Record<Dir, { enqueued: number; delivered: number; dropped: number }>;
  /** The last delivery: message, endpoint, and its latency in ticks from its rl-enqueue. */
  lastDelivery: { dir: Dir; msg: number; ept: number; ticks: number | null } | null;
  linkUp: string[];
  /** Who holds each descriptor's buffer (teach/fields.ts ringReducer: master, remote, avail or used ring). */
  places: RingState;
  /** Per shown field (shownFields' keys, and `core.<name>`): the global number of the record that last changed it. */
  rec: Record<string, number>;
}

/** What the reducer needs besides the records: the header (names) and the layout (addresses). */
export interface ViewModel {
  header: TraceHeader;
  layout: ViewLayout;
  /** The vring fields burst writes left in memory, by global record number and field address (without: unknown after a burst). */
  bursts?: BurstValues;
}

/** Runs records into states. One per model; the states it makes are plain data. */
export class ViewReducer {
  readonly namer: FieldNamer;
  private readonly ring: (state: RingState, r: TraceRecord) => RingState;
  private readonly teach: ReturnType<typeof layoutFromHeader>;
  private readonly mailboxRegs = new Map<number, string>();
  private readonly mailboxWindows: { name: string; base: number; size: number }[] = [];
  private readonly coreNames: string[];
  /** Global number of the record being applied: where `model.bursts` is looked up. */
  private at = -1;

  constructor(readonly model: ViewModel) {
    this.teach = layoutFromHeader(model.header, { bufferSize: model.layout.bufferSize });
    this.namer = teachNamer(this.teach);
    this.coreNames = model.header.cores.map((c) => c.name);
    const roles = new Map(model.header.cores.map((c) => [c.name, c.role]));
    const bursts = model.bursts;
    const burstValue = bursts === undefined ? {} : { burstValue: (_r: TraceRecord, address: number) => bursts[this.at]?.[address] };
    this.ring = ringReducer(this.teach, (component) => roles.get(this.coreOf(component) ?? '') ?? null, burstValue);
    for (const mb of model.header.mailboxes) {
      this.mailboxWindows.push(mb);
      for (const r of mailboxRegisters(mb)) this.mailboxRegs.set(r.address, r.name);
    }
  }

  /** The state before any record. */
  initial(): ViewState {
    const h = this.model.header;
    const num = this.model.layout.vrings[0]!.num;
    return {
      step: 0,
      t: 0,
      cores: Object.fromEntries(h.cores.map((c) => [c.name, { mode: 'thread', handlers: [], entering: null, calls: [], pending: [], lockup: null } satisfies CoreState])),
      lines: Object.fromEntries(h.irqLines.map((l) => [l.name, false])),
      mailbox: Object.fromEntries([...this.mailboxRegs.values()].map((n) => [n, null])),
      pins: Object.fromEntries(h.pins.map((p) => [p.name, false])),
      vrings: this.model.layout.vrings.map(() => ({
        availFlags: 0,
        availIdx: 0,
        usedFlags: 0,
        usedIdx: 0,
        desc: Array.from({ length: num }, () => ({ addr: 0, len: 0, flags: 0, next: 0 })),
        availRing: Array.from({ length: num }, () => 0),
        usedRing: Array.from({ length: num }, () => ({ id: 0, len: 0 })),
      })),
      buffers: this.model.layout.buffers.map(() => ({ state: 'free', msg: null, len: 0, core: null })),
      flights: [],
      counts: { m2r: { enqueued: 0, delivered: 0, dropped: 0 }, r2m: { enqueued: 0, delivered: 0, dropped: 0 } },
      lastDelivery: null,
      linkUp: [],
      places: initialRingState(this.teach),
      rec: {},
    };
  }

  /** Applies record number `n` (global) to `s`, in place. */
  apply(s: ViewState, r: TraceRecord, n: number): void {
    this.at = n;
    s.step = n + 1;
    s.t = r.t;
    const core = this.coreOf(r.component);
    const c = core === null ? null : s.cores[core]!;
    const mark = (key: string) => {
      s.rec[key] = n;
    };
    switch (r.kind) {
      case 'bus':
      case 'burst':
        this.access(s, r, n, core);
        return;
      case 'irq-line':
        if (r.component in s.lines) {
          s.lines[r.component] = r.level;
          mark(`line.${r.component}`);
        }
        return;
      case 'irq-pending':
        if (c !== null && !c.pending.includes(r.line)) {
          c.pending.push(r.line);
          c.pending.sort((a, b) => a - b);
          mark(`core.${core}.pending`);
        }
        return;
      case 'gpio': {
        const pin = this.model.header.pins.find((p) => p.block === r.component && p.port === r.port && p.pin === r.pin);
        if (pin !== undefined) {
          s.pins[pin.name] = r.level;
          mark(`pin.${pin.name}`);
        }
        return;
      }
      case 'rl-enqueue': {
        const to = this.coreNames.find((x) => x !== core) ?? '';
        s.flights.push({ dir: r.dir, msg: r.msg, src: r.src, dst: r.dst, len: r.len, buffer: r.buffer, from: core ?? r.component, to, t: r.t, rec: n });
        s.counts[r.dir].enqueued++;
        this.setBuffer(s, r.buffer, { state: 'queued', msg: `${r.dir}#${r.msg}`, len: r.len, core }, n);
        mark(`count.${r.dir}`);
        mark('flights');
        return;
      }
      case 'rl-deliver': {
        const at = s.flights.findIndex((f) => f.dir === r.dir && f.msg === r.msg);
        const sent = at < 0 ? null : s.flights[at]!.t;
        if (at >= 0) s.flights.splice(at, 1);
        if (r.ept < 0) {
          s.counts[r.dir].dropped++;
          this.setBuffer(s, r.buffer, { state: 'free', msg: null, len: 0, core }, n);
        } else {
          s.counts[r.dir].delivered++;
          this.setBuffer(s, r.buffer, { state: 'in-callback', msg: `${r.dir}#${r.msg}`, len: r.len, core }, n);
        }
        s.lastDelivery = { dir: r.dir, msg: r.msg, ept: r.ept, ticks: sent === null ? null : r.t - sent };
        mark(`count.${r.dir}`);
        mark('flights');
        mark('lastDelivery');
        return;
      }
      case 'rl-callback-return': {
        const k = s.buffers.findIndex((b) => b.msg === `${r.dir}#${r.msg}` && b.state === 'in-callback');
        if (k < 0) return;
        const b = s.buffers[k]!;
        if (r.result === 1) s.buffers[k] = { ...b, state: 'held' };
        else s.buffers[k] = { state: 'free', msg: null, len: 0, core: b.core };
        mark(`buf[${k}]`);
        return;
      }
      case 'rl-link-up':
        if (core !== null && !s.linkUp.includes(core)) {
          s.linkUp.push(core);
          mark('linkUp');
        }
        return;
      default:
        break;
    }
    if (c === null) return;
    switch (r.kind) {
      case 'irq-entry':
        c.mode = 'entry';
        c.entering = r.line;
        c.pending = c.pending.filter((l) => l !== r.line);
        break;
      case 'irq-late-arrival':
        c.entering = r.line;
        c.pending = c.pending.filter((l) => l !== r.line);
        break;
      case 'handler-start':
        c.mode = 'handler';
        c.entering = null;
        c.handlers.push(r.line);
        break;
      case 'handler-end': {
        const i = c.handlers.lastIndexOf(r.line);
        if (i >= 0) c.handlers.splice(i, 1);
        c.mode = 'exit';
        break;
      }
      case 'exception-return':
        c.mode = r.resumes === THREAD_MODE_IRQN ? 'thread' : 'handler';
        break;
      case 'sleep':
        c.mode = 'asleep';
        break;
      case 'wake':
        c.mode = c.handlers.length > 0 ? 'handler' : 'thread';
        break;
      case 'lockup':
        c.mode = 'lockup';
        c.lockup = r.reason;
        break;
      case 'rl-call':
        c.calls.push(r.fn);
        mark(`core.${core}.calls`);
        return;
      case 'rl-return': {
        const i = c.calls.lastIndexOf(r.fn);
        if (i >= 0) c.calls.splice(i, 1);
        mark(`core.${core}.calls`);
        // link state as the runner's LinkWatcher reads it: the master's comes up with its init
        if (r.fn === 'rpmsg_lite_master_init' && r.code === 0 && !s.linkUp.includes(core!)) {
          s.linkUp.push(core!);
          mark('linkUp');
        } else if (r.fn === 'rpmsg_lite_deinit' && s.linkUp.includes(core!)) {
          s.linkUp = s.linkUp.filter((x) => x !== core);
          mark('linkUp');
        }
        if (r.fn === 'rpmsg_lite_release_rx_buffer' && r.code === 0) {
          const k = s.buffers.findIndex((b) => b.state === 'held' && b.core === core);
          if (k >= 0) {
            s.buffers[k] = { state: 'free', msg: null, len: 0, core };
            mark(`buf[${k}]`);
          }
        }
        return;
      }
      default:
        return;
    }
    mark(`core.${core}.mode`);
    if (r.kind === 'irq-entry' || r.kind === 'irq-late-arrival') mark(`core.${core}.pending`);
  }

  /** A copy of a state (checkpoints). */
  clone(s: ViewState): ViewState {
    return structuredClone(s);
  }

  /** The core a component belongs to ("cm7" for "cm7" and "cm7.nvic"), or null. */
  private coreOf(component: string): string | null {
    for (const name of this.coreNames) if (component === name || component.startsWith(`${name}.`)) return name;
    return null;
  }

  private access(s: ViewState, r: TraceRecord & { kind: 'bus' | 'burst' }, n: number, core: string | null): void {
    const before = s.places;
    s.places = this.ring(before, r);
    if (s.places !== before) {
      s.places.vrings.forEach((v, q) =>
        v.descs.forEach((d, i) => {
          const was = before.vrings[q]!.descs[i]!;
          if (d.place !== was.place || d.buffer !== was.buffer) s.rec[`vring${q}.desc[${i}].place`] = n;
        }),
      );
    }
    const reg = this.mailboxRegs.get(r.address);
    if (reg !== undefined) {
      if (r.kind === 'bus' && r.op === 'write') {
        s.mailbox[reg] = r.value;
        s.rec[`mbox.${reg}`] = n;
      }
      return;
    }
    const namer = this.namer;
    if (r.kind === 'bus') {
      const ref = namer.fieldAt(r.address);
      if (ref !== null) {
        this.setField(s, ref, r.value);
        s.rec[namer.nameOf(ref)] = n;
      }
    } else if (r.op === 'write') {
      // every vring field that starts inside the burst (fields are 2-byte aligned; fieldAt
      // gives null inside a field, so its later halfwords leave it as its start set it)
      const known = this.model.bursts?.[n];
      for (let a = r.address + (r.address & 1); a < r.address + r.size; a += 2) {
        const ref = namer.fieldAt(a);
        if (ref === null) continue;
        this.setField(s, ref, known?.[a] ?? null);
        s.rec[namer.nameOf(ref)] = n;
      }
    }
    // a write of part of one buffer fills it (a payload, a header field); master init's
    // clearing of a whole buffer (or of several) is not a message being written
    if (r.op !== 'write' || r.size >= this.model.layout.bufferSize) return;
    const k = namer.bufferAt(r.address);
    if (k < 0 || namer.bufferAt(r.address + r.size - 1) !== k) return;
    const b = s.buffers[k]!;
    if (b.state === 'free' || b.state === 'filling') {
      s.buffers[k] = { state: 'filling', msg: null, len: 0, core };
      s.rec[`buf[${k}]`] = n;
    }
  }

  private setField(s: ViewState, ref: NonNullable<ReturnType<FieldNamer['fieldAt']>>, value: number | null): void {
    const v = s.vrings[ref.vring]!;
    switch (ref.part) {
      case 'desc':
        v.desc[ref.slot]![ref.field] = value;
        return;
      case 'availRing':
        v.availRing[ref.slot] = value;
        return;
      case 'usedRing':
        v.usedRing[ref.slot]![ref.field] = value;
        return;
      default:
        v[ref.part] = value;
    }
  }

  private setBuffer(s: ViewState, address: number, b: BufferView, n: number): void {
    const k = this.namer.bufferAt(address);
    if (k < 0) return;
    s.buffers[k] = b;
    s.rec[`buf[${k}]`] = n;
  }
}

/**
 * States at any step of a list of records, from a start state: checkpoints every
 * CHECKPOINT_EVERY records (made as the steps are first reached) so a step back replays at
 * most that many records.
 */
export class Replay {
  static readonly CHECKPOINT_EVERY = 256;
  private readonly checkpoints: ViewState[];
  private current: ViewState;
  /** Local step of `current`: records[0 .. at) applied. */
  private at = 0;
  /** Records applied so far, all calls together (what replaying has cost: the page reports it). */
  applied = 0;

  constructor(
    readonly reducer: ViewReducer,
    private readonly start: ViewState,
    readonly records: readonly TraceRecord[],
    /** The global number of records[0]. */
    readonly first: number,
  ) {
    this.checkpoints = [reducer.clone(start)];
    this.current = reducer.clone(start);
  }

  get length(): number {
    return this.records.length;
  }

  /** The state after records[0 .. k) (0 <= k <= length); the caller must not change it. */
  stateAt(k: number): ViewState {
    if (!Number.isInteger(k) || k < 0 || k > this.records.length) throw new RangeError(`step ${k} is outside 0..${this.records.length}`);
    const every = Replay.CHECKPOINT_EVERY;
    if (k < this.at || k - this.at > every) {
      const c = Math.min(Math.floor(k / every), this.checkpoints.length - 1);
      this.current = this.reducer.clone(this.checkpoints[c]!);
      this.at = c * every;
    }
    while (this.at < k) {
      this.reducer.apply(this.current, this.records[this.at]!, this.first + this.at);
      this.at++;
      this.applied++;
      if (this.at % every === 0 && this.checkpoints.length === this.at / every) this.checkpoints.push(this.reducer.clone(this.current));
    }
    return this.current;
  }
}

/** A tick as ns, exact, with the decimals that tell ticks apart (at most 3: ps). */
export function nsText(ticks: number, tickHz: number): string {
  return ticksToDecimal(ticks, tickHz, 9, Math.min(3, decimalsForTick(tickHz, 9)));
}

function modeText(c: CoreState): string {
  switch (c.mode) {
    case 'thread':
      return 'thread';
    case 'entry':
      return `exception entry (${irqLabel(c.entering ?? 0)})`;
    case 'handler':
      return `handler (${isrLabel(c.handlers[c.handlers.length - 1] ?? 0)})`;
    case 'exit':
      return 'exception exit';
    case 'asleep':
      return 'asleep (WFI)';
    case 'lockup':
      return `LOCKUP: ${c.lockup ?? ''}`;
  }
}

/** A descriptor's place in one word, for the ring drawing. */
const HOLDER = { unset: '—', master: 'master', remote: 'remote', avail: 'avail ring', used: 'used ring' } as const;

const value = (v: number | null) => (v === null ? 'x' : String(v));
const address = (v: number | null) => (v === null ? 'x' : hex(v));

/**
 * Every text the page shows for a state, by field key: the page writes each into the element
 * with that `data-field`, and the tests compare the two.
 */
export function shownFields(model: ViewModel, s: ViewState): Record<string, string> {
  const h = model.header;
  const f: Record<string, string> = {};
  f.time = `${nsText(s.t, h.tickHz)} ns`;
  for (const c of h.cores) {
    f[`cycles.${c.name}`] = String(Math.floor(s.t / c.periodTicks));
    const cs = s.cores[c.name]!;
    f[`core.${c.name}.mode`] = modeText(cs);
    f[`core.${c.name}.handlers`] = cs.handlers.length === 0 ? '—' : cs.handlers.map(isrLabel).join(' › ');
    f[`core.${c.name}.calls`] = cs.calls.length === 0 ? '—' : cs.calls.join(' › ');
    f[`core.${c.name}.pending`] = cs.pending.length === 0 ? '—' : cs.pending.map(irqLabel).join(', ');
    f[`core.${c.name}.link`] = s.linkUp.includes(c.name) ? 'up' : 'down';
  }
  for (const [name, level] of Object.entries(s.lines)) f[`line.${name}`] = level ? 'high' : 'low';
  for (const [name, v] of Object.entries(s.mailbox)) f[`mbox.${name}`] = v === null ? '—' : hex(v);
  for (const [name, level] of Object.entries(s.pins)) f[`pin.${name}`] = level ? 'high' : 'low';
  model.layout.vrings.forEach((layout, i) => {
    const v = s.vrings[i]!;
    const p = `vring${layout.index}`;
    f[`${p}.avail.idx`] = value(v.availIdx);
    f[`${p}.used.idx`] = value(v.usedIdx);
    f[`${p}.avail.flags`] = value(v.availFlags);
    f[`${p}.used.flags`] = value(v.usedFlags);
    v.desc.forEach((d, j) => {
      f[`${p}.desc[${j}]`] = `${address(d.addr)} ${value(d.len)} B flags ${value(d.flags)} next ${value(d.next)}`;
      const place = s.places.vrings[i]!.descs[j]!;
      f[`${p}.desc[${j}].place`] = `${place.buffer === null ? '' : `buf[${place.buffer}] `}${placeWords(layout.index, place.place)}`;
      f[`${p}.desc[${j}].holder`] = HOLDER[place.place];
    });
    v.availRing.forEach((a, j) => {
      f[`${p}.avail.ring[${j}]`] = value(a);
    });
    v.usedRing.forEach((u, j) => {
      f[`${p}.used.ring[${j}]`] = `id ${value(u.id)} len ${value(u.len)}`;
    });
  });
  s.buffers.forEach((b, k) => {
    const what = b.state === 'free' || b.state === 'filling' ? b.state : `${b.state} ${b.msg} (${b.len} B)`;
    f[`buf[${k}]`] = b.core === null || b.state === 'free' ? what : `${what} · ${b.core}`;
    f[`buf[${k}].msg`] = b.msg ?? '';
  });
  for (const dir of ['m2r', 'r2m'] as const) {
    const n = s.counts[dir];
    f[`count.${dir}`] = `${n.enqueued} sent, ${n.delivered} delivered, ${n.dropped} dropped`;
  }
  f.flights = s.flights.length === 0 ? '—' : s.flights.map((x) => `${x.dir}#${x.msg} ${x.from}→${x.to} (${x.len} B)`).join(', ');
  const d = s.lastDelivery;
  f.lastDelivery =
    d === null ? '—' : `${d.dir}#${d.msg} ${d.ept < 0 ? 'dropped' : `to ept ${d.ept}`}${d.ticks === null ? '' : `, ${nsText(d.ticks, h.tickHz)} ns after its enqueue`}`;
  return f;
}

/**
 * The global number of the record that last changed what `key` shows (a shownFields key,
 * or `flight.<dir>#<msg>` for a message in flight: its rl-enqueue), or null if nothing has
 * since the start of the run. The vring descriptor rows answer for any of their fields.
 */
export function recordOf(s: ViewState, key: string): number | null {
  const flight = /^flight\.(m2r|r2m)#(\d+)$/.exec(key);
  if (flight !== null) return s.flights.find((f) => f.dir === flight[1] && f.msg === Number(flight[2]))?.rec ?? null;
  const holder = /^(vring\d+\.desc\[\d+\])\.holder$/.exec(key);
  if (holder !== null) return s.rec[`${holder[1]}.place`] ?? null;
  const desc = /^(vring\d+\.desc\[\d+\])$/.exec(key);
  if (desc !== null) {
    const n = ['addr', 'len', 'flags', 'next'].map((f) => s.rec[`${desc[1]}.${f}`] ?? -1);
    const latest = Math.max(...n);
    return latest < 0 ? null : latest;
  }
  const ring = /^(vring\d+\.used\.ring\[\d+\])$/.exec(key);
  if (ring !== null) {
    const latest = Math.max(s.rec[`${ring[1]}.id`] ?? -1, s.rec[`${ring[1]}.len`] ?? -1);
    return latest < 0 ? null : latest;
  }
  const core = /^core\.(.+)\.(handlers|link)$/.exec(key);
  if (core !== null) return s.rec[core[2] === 'link' ? 'linkUp' : `core.${core[1]}.mode`] ?? null;
  return s.rec[key] ?? null;
}
