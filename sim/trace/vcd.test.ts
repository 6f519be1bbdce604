import { TINY_HEADER, TINY_RECORDS, gtkwaveNames, parseVcd, rec, signalsOfGtkw } from './fixtures';
import { StringOutput } from './output';
import { VcdTimescale, VcdWriter } from './vcd';

function vcdOf(records = TINY_RECORDS, header = TINY_HEADER): string {
  const out = new StringOutput();
  const w = new VcdWriter(out, header);
  for (const r of records) w.record(r);
  w.close();
  return out.text();
}

test('the value changes of the hand-made records, exactly (1 ns ticks: 1 ns timescale)', () => {
  const text = vcdOf();
  expect(text).toContain('$timescale 1 ns $end\n');
  expect(text).toContain('$comment tick rate 1000000000 Hz; one tick is 1 x 1 ns exactly $end\n');
  expect(text).not.toContain('$date'); // no wall clock in a trace
  expect(text.split('$enddefinitions $end\n')[1]).toBe(
    [
      '#0',
      '$dumpvars',
      'b0 !', 'sthread "', 'bz #', '0$', // cm7: state, state_name, active_irq, irq118_mu_a_irq
      'b0 %', 'sthread &', "bz '", '0(', // cm4
      'bx )', // mu_a.CR: nothing written yet
      'b0 *', 'b0 +', 'b0 ,', 'b0 -', // vrings (shared memory starts zeroed)
      'b0 .', 'b0 /', 'b0 0', 'b0 1', 'b0 2', 'b0 3', // rpmsg counters
      '$end',
      '#20', 'b1 .', // m2r_enqueued
      '#24', 'b1 ,', // vring1 avail.idx written
      '#30', 'b10000000000000000000 )', // mu.a CR written
      '#32', '1(',
      '#40', 'b10 !', 'sasleep "',
      '#84', 'b1 %', 'shandler &', "b1110110 '",
      '#90', '0(',
      '#120', 'b1 /', // m2r_delivered
      '#124', 'b1 -', // vring1 used.idx
      '#168', 'b0 %', 'sthread &', "bz '",
      '',
    ].join('\n'),
  );
});

test('declarations: a scope per core and per mailbox, the vrings, the rpmsg counters', () => {
  const { vars } = parseVcd(vcdOf());
  expect([...vars.keys()]).toEqual([
    'rpmsg_sim.cm7.state',
    'rpmsg_sim.cm7.state_name',
    'rpmsg_sim.cm7.active_irq',
    'rpmsg_sim.cm7.irq118_mu_a_irq',
    'rpmsg_sim.cm4.state',
    'rpmsg_sim.cm4.state_name',
    'rpmsg_sim.cm4.active_irq',
    'rpmsg_sim.cm4.irq118_mu_b_irq',
    'rpmsg_sim.mu_a.CR',
    'rpmsg_sim.mu_a.irq',
    'rpmsg_sim.vrings.vring0_r2m_avail_idx',
    'rpmsg_sim.vrings.vring0_r2m_used_idx',
    'rpmsg_sim.vrings.vring1_m2r_avail_idx',
    'rpmsg_sim.vrings.vring1_m2r_used_idx',
    'rpmsg_sim.rpmsg.m2r_enqueued',
    'rpmsg_sim.rpmsg.m2r_delivered',
    'rpmsg_sim.rpmsg.m2r_dropped',
    'rpmsg_sim.rpmsg.r2m_enqueued',
    'rpmsg_sim.rpmsg.r2m_delivered',
    'rpmsg_sim.rpmsg.r2m_dropped',
  ]);
  // the mailbox's interrupt output is the same signal as the core's input
  expect(vars.get('rpmsg_sim.mu_a.irq')!.id).toBe(vars.get('rpmsg_sim.cm7.irq118_mu_a_irq')!.id);
});

test('changes of one signal within a tick are written once, as the value at the end of the tick', () => {
  const text = vcdOf([
    rec(5, 'mu.a.irq', 'irq-line', { level: true }),
    rec(5, 'mu.a.irq', 'irq-line', { level: false }),
    rec(6, 'cm7', 'sleep', {}),
    rec(6, 'cm7', 'wake', {}),
    rec(7, 'cm7', 'lockup', { reason: 'bus fault' }),
  ]);
  expect(text.split('$end\n').pop()).toBe('#7\nb11 !\nslockup "\n');
});

test('a burst over a vring index makes it unknown until the next access shows it; a 32-bit access covering it counts', () => {
  const text = vcdOf([
    rec(10, 'cm7', 'burst', { op: 'write', address: 0x202c0000, size: 78, target: 'ocram', beats: 10, cycles: 20, stall: 0 }),
    rec(20, 'cm7', 'bus', { op: 'read', address: 0x202c0020, size: 4, value: 0x00070001, target: 'ocram', cycles: 4, stall: 0 }),
  ]);
  expect(text.split('$end\n').pop()).toBe('#10\nbx *\nbx +\n#20\nb111 *\n');
});

test('timescale: the coarsest exact unit, else 1 fs with rounding', () => {
  const cases: [number, string, boolean][] = [
    [1e9, '1 ns', true],
    [1e12, '1 ps', true],
    [2e9, '100 ps', true], // 500 ps ticks
    [4e9, '10 ps', true], // 250 ps ticks
    [100e6, '10 ns', true],
    [1, '1 s', true],
    [3e9, '1 fs', false], // 333.33 ps
    [996e9, '1 fs', false], // 1004.016 fs
    [198e9, '1 fs', false], // 5050.505 fs
  ];
  for (const [hz, unit, exact] of cases) {
    const ts = new VcdTimescale(hz);
    expect([hz, ts.unit, ts.exact]).toEqual([hz, unit, exact]);
  }
  expect(new VcdTimescale(4e9).toUnits(3)).toBe(75n); // 750 ps
  // 2289000 ticks of 1/996 GHz = 2298192771.08 fs
  expect(new VcdTimescale(996e9).toUnits(2_289_000)).toBe(2_298_192_771n);
  // the last tick a JS number holds exactly, converted without float error
  expect(new VcdTimescale(996e9).toUnits(2 ** 53 - 1)).toBe((2n * (2n ** 53n - 1n) * 10n ** 15n + 996n * 10n ** 9n) / (2n * 996n * 10n ** 9n));
});

describe('vring indices after a burst, with the memory the burst wrote', () => {
  // shared memory as the runner would read it: little-endian 16-bit indices at these addresses
  const memory = new Map<number, number>([
    [0x202c0022, 0],
    [0x202c0032, 0],
    [0x202c0072, 5],
    [0x202c0082, 3],
  ]);
  const reader = (address: number, size: number) => (size === 2 ? memory.get(address) : undefined);
  function vcdWithMemory(records: ReturnType<typeof rec>[], read = reader): string {
    const out = new StringOutput();
    const w = new VcdWriter(out, TINY_HEADER, { memory: read });
    for (const r of records) w.record(r);
    w.close();
    return out.text().split('$end\n').pop()!;
  }

  test("init's memset leaves the indices at their real value (0: no change written), not x", () => {
    const memset = rec(10, 'cm7', 'burst', { op: 'write', address: 0x202c0000, size: 0x40, target: 'ocram', beats: 8, cycles: 16, stall: 0 });
    // vring 0's indices (0x22, 0x32) are 0 in memory after the memset: the same as before, nothing to write
    expect(vcdWithMemory([memset, rec(20, 'cm7', 'sleep', {})])).toBe('#20\nb10 !\nsasleep "\n');
  });

  test('a burst that writes a non-zero index (a cache line written back) shows it; so does a burst read', () => {
    const text = vcdWithMemory([
      rec(10, 'cm7', 'burst', { op: 'write', address: 0x202c0060, size: 32, target: 'ocram', beats: 8, cycles: 16, stall: 0 }),
      rec(20, 'cm4', 'burst', { op: 'read', address: 0x202c0080, size: 32, target: 'ocram', beats: 8, cycles: 16, stall: 0 }),
    ]);
    // vring1 avail.idx (at 0x72, signal ,) from the write; vring1 used.idx (0x82, signal -) from the read
    expect(text).toBe('#10\nb101 ,\n#20\nb11 -\n');
  });

  test('a burst covering half an index reads the whole index from memory', () => {
    expect(vcdWithMemory([rec(10, 'cm7', 'burst', { op: 'write', address: 0x202c0083, size: 1, target: 'ocram', beats: 1, cycles: 2, stall: 0 })])).toBe('#10\nb11 -\n');
  });

  test('where the reader cannot read, a burst write makes the index x as without one', () => {
    const text = vcdWithMemory([rec(10, 'cm7', 'burst', { op: 'write', address: 0x202c0070, size: 4, target: 'ocram', beats: 1, cycles: 2, stall: 0 })], () => undefined);
    expect(text).toBe('#10\nbx ,\n');
  });
});

describe('the GTKWave save file', () => {
  function pair(records = TINY_RECORDS): { vcd: string; gtkw: string } {
    const [vcd, gtkw] = [new StringOutput(), new StringOutput()];
    const w = new VcdWriter(vcd, TINY_HEADER, { saveFile: gtkw, dumpfile: 'tiny.vcd' });
    for (const r of records) w.record(r);
    w.close();
    return { vcd: vcd.text(), gtkw: gtkw.text() };
  }

  test('groups per core, per mailbox, the vring indices and the message counters, each in its format, exactly', () => {
    expect(pair().gtkw).toBe(
      [
        '[*] rpmsg-sim signals of scenario "tiny" on imxrt1170 (open with: gtkwave tiny.gtkw)',
        '[dumpfile] "tiny.vcd"',
        '[savefile] "tiny.gtkw"',
        '[timestart] 0',
        '[size] 1000 600',
        // the last change at 168 ns: 0.887527 - log2(168)
        `*-6.504790${' -1'.repeat(27)}`,
        '@800200', '-cm7 (master, 500 MHz)',
        '@28', 'rpmsg_sim.cm7.state_name',
        '@424', 'rpmsg_sim.cm7.active_irq',
        '@28', 'rpmsg_sim.cm7.irq118_mu_a_irq',
        '@1000200', '-cm7 (master, 500 MHz)',
        '@800200', '-cm4 (remote, 250 MHz)',
        '@28', 'rpmsg_sim.cm4.state_name',
        '@424', 'rpmsg_sim.cm4.active_irq',
        '@28', 'rpmsg_sim.cm4.irq118_mu_b_irq',
        '@1000200', '-cm4 (remote, 250 MHz)',
        '@800200', '-mu.a registers (last value written)',
        '@22', 'rpmsg_sim.mu_a.CR[31:0]',
        '@1000200', '-mu.a registers (last value written)',
        '@800200', '-vring indices',
        '@24',
        'rpmsg_sim.vrings.vring0_r2m_avail_idx[15:0]',
        'rpmsg_sim.vrings.vring0_r2m_used_idx[15:0]',
        'rpmsg_sim.vrings.vring1_m2r_avail_idx[15:0]',
        'rpmsg_sim.vrings.vring1_m2r_used_idx[15:0]',
        '@1000200', '-vring indices',
        '@800200', '-rpmsg messages',
        '@24',
        'rpmsg_sim.rpmsg.m2r_enqueued[31:0]',
        'rpmsg_sim.rpmsg.m2r_delivered[31:0]',
        'rpmsg_sim.rpmsg.m2r_dropped[31:0]',
        'rpmsg_sim.rpmsg.r2m_enqueued[31:0]',
        'rpmsg_sim.rpmsg.r2m_delivered[31:0]',
        'rpmsg_sim.rpmsg.r2m_dropped[31:0]',
        '@1000200', '-rpmsg messages',
        '',
      ].join('\n'),
    );
  });

  test('every signal it names is a variable of the VCD, under the name GTKWave gives it', () => {
    const { vcd, gtkw } = pair();
    expect(signalsOfGtkw(gtkw).filter((name) => !gtkwaveNames(vcd).has(name))).toEqual([]);
    expect(signalsOfGtkw(gtkw)).toHaveLength(17);
  });

  test('a mailbox register the run never wrote is left out (its group too, when none was written)', () => {
    const { gtkw } = pair(TINY_RECORDS.filter((r) => r.kind !== 'bus' || r.target !== 'mu.a'));
    expect(gtkw).not.toContain('mu_a.CR');
    expect(gtkw).not.toContain('mu.a registers');
    expect(signalsOfGtkw(gtkw)).toHaveLength(16);
  });
});
