// Kernel benchmark: the two standard discrete-event workloads that the SystemC and SimPy
// anchors implement (pingpong and timers), written against the kernel's public API only.
//
//   pingpong  two processes A and B. A loops N times: wait 10 ns, notify toB, wait toA.
//             B loops forever: wait toB, wait 7 ns, notify toA. 4 wake-ups per loop; events = 4N.
//   timers    64 processes; process i loops forever on a timed wait of (3 + (i*7 mod 61)) ns.
//             Stops after N wake-ups in total; events = N.

import { Event, Kernel, type ProcessBody, type Ticks } from '../sim/kernel';

export interface WorkloadResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** Runs pingpong for `n` loops; returns the number of process wake-ups (4n). */
export function pingpong(n: number): number {
  const k = new Kernel(); // no clocks: a 1 ns tick
  const toA: Event = k.event('toA');
  const toB: Event = k.event('toB');
  const tenNs = k.timebase.ns(10);
  const sevenNs = k.timebase.ns(7);
  let wakeups = 0;
  function* a(): ProcessBody<void> {
    for (let i = 0; i < n; i++) {
      yield tenNs;
      wakeups++;
      toB.notify();
      yield toA;
      wakeups++;
    }
  }
  function* b(): ProcessBody<void> {
    for (;;) {
      yield toB;
      wakeups++;
      yield sevenNs;
      wakeups++;
      toA.notify();
    }
  }
  k.spawn('A', a());
  k.spawn('B', b());
  k.run();
  return wakeups;
}

/** Runs timers until `n` wake-ups in total; returns that count. */
export function timers(n: number, processes = 64): number {
  const k = new Kernel();
  let wakeups = 0;
  function* timer(period: Ticks): ProcessBody<void> {
    for (;;) {
      yield period;
      if (++wakeups >= n) k.stop();
    }
  }
  for (let i = 0; i < processes; i++) k.spawn(`t${i}`, timer(k.timebase.ns(3 + ((i * 7) % 61))));
  k.run();
  return wakeups;
}

/** Times `fn(n)` once after a warm-up; the median of `repeats` runs. */
export function measure(fn: (n: number) => number, n: number, repeats = 3): WorkloadResult {
  fn(Math.max(1, Math.floor(n / 10))); // let the JIT compile the hot path first
  const runs: WorkloadResult[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    const events = fn(n);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    runs.push({ events, seconds, eventsPerSecond: events / seconds });
  }
  runs.sort((x, y) => x.seconds - y.seconds);
  return runs[Math.floor(runs.length / 2)]!;
}
