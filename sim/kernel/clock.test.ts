import { ClockDomain, ConfigError, Kernel, type ProcessBody, type Ticks, Timebase, cycles, ticks } from './index';

describe('Timebase: the tick is the least common multiple of the clocks and 1 GHz', () => {
  test('150 MHz with 400 MHz: 6 GHz ticks, periods of 40 and 15 ticks, 1 ns = 6 ticks', () => {
    const tb = Timebase.forFrequencies([150e6, 400e6]);
    expect(tb.tickHz).toBe(6e9);
    expect(tb.periodOf(150e6)).toBe(40);
    expect(tb.periodOf(400e6)).toBe(15);
    expect(tb.ns(1)).toBe(6);
    expect(tb.clocksExact).toBe(true);
    expect(tb.nanosecondsExact).toBe(true);
  });

  test('996 MHz with 400 MHz: 498 GHz ticks, periods of 500 and 1245 ticks, 5 hours of range', () => {
    const tb = Timebase.forFrequencies([996e6, 400e6]);
    expect(tb.tickHz).toBe(498e9);
    expect(tb.periodOf(996e6)).toBe(500);
    expect(tb.periodOf(400e6)).toBe(1245);
    expect(tb.ns(1)).toBe(498);
    expect(Math.floor(Number.MAX_SAFE_INTEGER / tb.tickHz / 3600)).toBe(5);
  });

  test('1.8 GHz with 400 MHz: 18 GHz ticks', () => {
    const tb = Timebase.forFrequencies([1.8e9, 400e6]);
    expect(tb.tickHz).toBe(18e9);
    expect(tb.periodOf(1.8e9)).toBe(10);
    expect(tb.periodOf(400e6)).toBe(45);
  });

  test('no clocks: a 1 ns tick', () => {
    expect(Timebase.forFrequencies([]).tickHz).toBe(1e9);
  });

  test('drops 1 GHz when it alone breaks the range, keeping the clocks exact', () => {
    // 999999937 Hz is prime: with 1 GHz the lcm is ~1e18 ticks/s; alone it covers 100 days.
    const tb = Timebase.forFrequencies([999_999_937]);
    expect(tb.tickHz).toBe(999_999_937);
    expect(tb.clocksExact).toBe(true);
    expect(tb.nanosecondsExact).toBe(false);
    expect(tb.ns(1000)).toBe(1000); // 999.999937 ticks, rounded
  });

  test('falls back to 1 ps ticks with rounded periods and a warning when no exact tick covers an hour', () => {
    const tb = Timebase.forFrequencies([999_999_937, 999_999_929]);
    expect(tb.tickHz).toBe(1e12);
    expect(tb.clocksExact).toBe(false);
    expect(tb.periodOf(999_999_937)).toBe(1000);
    expect(tb.warnings).toEqual([
      'clock 999.999937 MHz is simulated at 1 GHz (period rounded to 1000 ps)',
      'clock 999.999929 MHz is simulated at 1 GHz (period rounded to 1000 ps)',
    ]);
  });

  test('a clock set that cannot be represented is a ConfigError naming the clock', () => {
    expect(() => Timebase.forFrequencies([999_999_937, 700_000_000_001])).toThrow(
      new ConfigError(
        'clock of 700.000000001 GHz cannot be represented: no exact tick covers 3600 s and with 1 ps ticks its period would round to 1 ps',
      ),
    );
  });

  test.each([0, -5, 33.3, Number.NaN, Infinity])('frequency %p is a ConfigError', (hz) => {
    expect(() => Timebase.forFrequencies([hz])).toThrow(
      `clock frequency must be a positive whole number of Hz, got ${hz}`,
    );
  });

  test('a clock added later must fit the tick', () => {
    const k = new Kernel({ clocks: { cm33: 150e6 } });
    expect(() => k.addClock('odd', 7e6)).toThrow(
      'clock "odd" (7000000 Hz) is not a whole number of ticks at 3000000000 ticks/s; declare every clock when making the kernel so the tick fits them all',
    );
    expect(k.addClock('bus', 75e6).period).toBe(40);
    expect(() => k.addClock('bus', 75e6)).toThrow('clock "bus" is defined twice');
    expect(() => k.clock('nope')).toThrow('no clock "nope" (clocks: cm33, bus)');
  });

  test('format shows nanoseconds whatever the tick', () => {
    const tb = Timebase.forFrequencies([996e6, 400e6]);
    expect(tb.format(500)).toBe('1.004 ns');
    expect(tb.format(498_000)).toBe('1000.000 ns');
  });
});

describe('ClockDomain: exact edges, no drift', () => {
  const k = new Kernel({ clocks: { cm7: 996e6, cm4: 400e6 } });
  const cm7 = k.clock('cm7');
  const cm4 = k.clock('cm4');

  test('996 cycles of 996 MHz and 400 cycles of 400 MHz both end at exactly 1 us', () => {
    expect(cm7.toTicks(cycles(996))).toBe(k.timebase.us(1));
    expect(cm4.toTicks(cycles(400))).toBe(k.timebase.us(1));
    // A million microseconds later they still coincide: 1 s = 498e9 ticks.
    expect(cm7.toTicks(cycles(996e6))).toBe(498e9);
    expect(cm4.toTicks(cycles(400e6))).toBe(498e9);
  });

  test('next edge at or after a tick, and strictly after', () => {
    expect(cm7.nextEdge(ticks(0))).toBe(0);
    expect(cm7.nextEdge(ticks(1))).toBe(500);
    expect(cm7.nextEdge(ticks(500))).toBe(500);
    expect(cm7.edgeAfter(ticks(500))).toBe(1000);
    // The first 400 MHz edge (2.5 ns) falls inside the third 996 MHz cycle; the next M7 edge is the fourth.
    expect(cm4.nextEdge(ticks(1))).toBe(1245);
    expect(cm7.nextEdge(ticks(1245))).toBe(1500);
    expect(cm7.cycleAt(ticks(1245))).toBe(2);
    expect(cm4.toCycles(ticks(2489))).toBe(1);
  });

  test('delay(n) waits for the next edge, then n cycles', () => {
    const log: [string, number][] = [];
    function* body(): ProcessBody<void> {
      yield ticks(1); // off-edge for both clocks
      yield cm4.delay(cycles(0)); // to the next 400 MHz edge
      log.push(['cm4 edge', k.now]);
      yield cm7.delay(cycles(2)); // next M7 edge (1500) + 2 cycles
      log.push(['cm7 +2', k.now]);
      yield cm7.delay(cycles(3)); // on an edge: exactly 3 cycles
      log.push(['cm7 +3', k.now]);
    }
    k.spawn('p', body());
    k.run();
    expect(log).toEqual([
      ['cm4 edge', 1245],
      ['cm7 +2', 2500],
      ['cm7 +3', 4000],
    ]);
  });

  test('a standalone domain reads time from its source', () => {
    const source = { now: 7 as Ticks };
    const d = new ClockDomain('x', 1e9, Timebase.fixed(4e9), source);
    expect(d.period).toBe(4);
    expect(d.nextEdge()).toBe(8);
    expect(d.delay(cycles(1))).toBe(5);
  });

  test('a span beyond 2^53 ticks is refused', () => {
    expect(() => cm7.toTicks(cycles(2 ** 50))).toThrow(
      `${2 ** 50} cycles of cm7 is not a representable span (0 .. 2^53 ticks)`,
    );
  });

  test('cycles and ticks do not mix without a conversion (checked by tsc)', () => {
    const c = cycles(3);
    // @ts-expect-error a cycle count is not a tick count
    const t: Ticks = c;
    expect(cm7.toTicks(c)).toBe(1500);
    expect(t).toBe(3);
  });
});

describe('edges far from tick 0 (ticks beyond 2^31 are doubles)', () => {
  test('nextEdge and edgeAfter agree with exact integer arithmetic up to 2^53', () => {
    const k = new Kernel({ clocks: { cm7: 996e6, cm4: 400e6 } }); // 498 GHz ticks: periods 500 and 1245
    for (const name of ['cm7', 'cm4']) {
      const c = k.clock(name);
      const p = BigInt(c.period);
      for (const t of [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 123456789012345, 2 ** 52 + 3, 2 ** 53 - 1 - 1245]) {
        const r = BigInt(t) % p;
        const next = r === 0n ? BigInt(t) : BigInt(t) - r + p;
        expect(BigInt(c.nextEdge(t as Ticks))).toBe(next);
        expect(BigInt(c.edgeAfter(t as Ticks))).toBe(BigInt(t) - r + p);
      }
    }
  });
});
