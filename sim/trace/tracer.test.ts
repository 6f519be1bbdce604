// The tracer builds and delivers a record only for the sinks that read its kind (and, for bus
// records, its target): `on` tells emitters whether to build one at all.
import { Kernel } from '../kernel';
import { MemorySink, Tracer, type TraceRecord, type TraceSink } from './trace';

class Reader implements TraceSink {
  readonly records: TraceRecord[] = [];
  constructor(
    readonly kinds?: Iterable<TraceRecord['kind']>,
    readonly busTargets?: ReadonlySet<string>,
  ) {}
  record(r: TraceRecord): void {
    this.records.push(r);
  }
}

function bus(target: string): TraceRecord {
  return { t: 0, component: 'cm7', kind: 'bus', op: 'write', address: 0x40, size: 4, value: 1, target, cycles: 3, stall: 0 };
}

test('on[kind] is true only for kinds some sink reads; records go only to their readers, in the order sinks were added', () => {
  const tracer = new Tracer(new Kernel());
  const a = new Reader(['sleep', 'wake']);
  const b = new Reader(['wake']);
  tracer.addSink(a);
  tracer.addSink(b);
  expect([tracer.on.sleep, tracer.on.wake, tracer.on.bus, tracer.on['rl-call']]).toEqual([true, true, false, false]);
  tracer.put({ t: 5, component: 'cm4', kind: 'wake' });
  tracer.put({ t: 6, component: 'cm4', kind: 'sleep' });
  tracer.put({ t: 7, component: 'cm4', kind: 'rl-call', fn: 'rpmsg_lite_send' });
  expect(a.records.map((r) => r.t)).toEqual([5, 6]);
  expect(b.records.map((r) => r.t)).toEqual([5]);
  // A sink that names no kinds reads them all.
  const all = new MemorySink();
  tracer.addSink(all);
  expect(tracer.on['rl-call']).toBe(true);
});

test('bus records: a sink with busTargets gets only those targets; wantsBus answers per target', () => {
  const tracer = new Tracer(new Kernel());
  const mailbox = new Reader(['bus'], new Set(['mu.a']));
  tracer.addSink(mailbox);
  expect([tracer.on.bus, tracer.wantsBus('mu.a'), tracer.wantsBus('ocram')]).toEqual([false, true, false]);
  tracer.put(bus('mu.a'));
  tracer.put(bus('ocram'));
  expect(mailbox.records.map((r) => (r as { target: string }).target)).toEqual(['mu.a']);
  // A later sink reading every bus record: both targets wanted, mu.a delivered to both.
  const every = new Reader(['bus']);
  tracer.addSink(every);
  expect([tracer.on.bus, tracer.wantsBus('ocram')]).toEqual([true, true]);
  tracer.put(bus('mu.a'));
  tracer.put(bus('ocram'));
  expect([mailbox.records.length, every.records.length]).toEqual([2, 2]);
});

test('emit builds the record from its parts at the kernel time', () => {
  const tracer = new Tracer(new Kernel());
  const sink = new MemorySink();
  tracer.addSink(sink);
  tracer.emit('cm7', 'rl-notify', { vq: 1 });
  expect(sink.records).toEqual([{ t: 0, component: 'cm7', kind: 'rl-notify', vq: 1 }]);
});

test('kinds given as a one-pass iterable are read once: the sink still gets its bus records', () => {
  const tracer = new Tracer(new Kernel());
  const got: TraceRecord[] = [];
  function* kinds(): Generator<TraceRecord['kind']> {
    yield 'bus';
  }
  tracer.addSink({ kinds: kinds(), record: (r) => got.push(r) });
  tracer.put(bus('ocram'));
  expect(got.length).toBe(1);
});

test('every tracer\'s version is its own: a model moved to a new tracer cannot mistake it for the old one', () => {
  const k = new Kernel();
  const a = new Tracer(k);
  const b = new Tracer(k);
  expect(a.version).not.toBe(b.version);
  const before = b.version;
  b.addSink(new MemorySink());
  expect(b.version).not.toBe(before);
  expect(b.version).not.toBe(a.version);
});
