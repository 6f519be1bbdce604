// Names of hand-computed addresses (docs/sources.md "Shared-memory layout" formulae worked by hand for each
// platform's shared memory), the header-only inference, register bits, the why lines and
// the ring reducer on a real run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hex } from '../sim/text/hex';
import { readJsonl } from '../sim/trace/jsonl';
import type { TraceRecord } from '../sim/trace/trace';
import {
  type FieldName,
  type RingState,
  bufferSizeFromRecords,
  buffersByPlace,
  cFunctionOf,
  describeRegisterValue,
  initialRingState,
  layoutFromHeader,
  layoutOfTrace,
  mailboxRegisters,
  namerFor,
  burstFieldReader,
  ringReducer,
  whyOf,
} from './fields';
import { layoutOfPlatform } from './system-layout';

const text = (n: FieldName | null) => n?.text ?? null;

describe('imxrt1170 (shared memory 0x202C0000, 2 buffers, VRING_ALIGN 0x10, VRING_SIZE 0x50)', () => {
  const { layout, header } = layoutOfPlatform('imxrt1170');
  const name = namerFor(layout, header);

  it('has the layout of master init', () => {
    expect([layout.bufferCount, layout.bufferSize, layout.vringAlign, layout.vringSize, layout.bufferBase]).toEqual([2, 512, 0x10, 0x50, 0x202c00a0]);
  });

  it.each([
    [0x202c0000, 4, 'vring0.desc[0].addr'],
    [0x202c0004, 4, 'vring0.desc[0].addr[+4]'],
    [0x202c0008, 4, 'vring0.desc[0].len'],
    [0x202c000c, 2, 'vring0.desc[0].flags'],
    [0x202c000e, 2, 'vring0.desc[0].next'],
    [0x202c001e, 2, 'vring0.desc[1].next'],
    [0x202c0020, 2, 'vring0.avail.flags'],
    [0x202c0022, 2, 'vring0.avail.idx'],
    [0x202c0024, 2, 'vring0.avail.ring[0]'],
    [0x202c0026, 2, 'vring0.avail.ring[1]'],
    [0x202c0028, 2, 'vring0.avail.used_event'],
    [0x202c002a, 2, 'vring0.padding'],
    [0x202c0030, 2, 'vring0.used.flags'],
    [0x202c0032, 2, 'vring0.used.idx'],
    [0x202c0034, 4, 'vring0.used.ring[0].id'],
    [0x202c0038, 4, 'vring0.used.ring[0].len'],
    [0x202c003c, 4, 'vring0.used.ring[1].id'],
    [0x202c0040, 4, 'vring0.used.ring[1].len'],
    [0x202c0044, 2, 'vring0.used.avail_event'],
    [0x202c0046, 2, 'shmem.gap-after-vring0'],
    [0x202c0050, 4, 'vring1.desc[0].addr'],
    [0x202c0060, 4, 'vring1.desc[1].addr'],
    [0x202c0072, 2, 'vring1.avail.idx'],
    [0x202c0074, 2, 'vring1.avail.ring[0]'],
    [0x202c0082, 2, 'vring1.used.idx'],
    [0x202c0084, 4, 'vring1.used.ring[0].id'],
    [0x202c0088, 4, 'vring1.used.ring[0].len'],
    [0x202c0094, 2, 'vring1.used.avail_event'],
    [0x202c0096, 2, 'shmem.gap-after-vring1'],
    [0x202c00a0, 4, 'buf[0].hdr.src'],
    [0x202c00a4, 4, 'buf[0].hdr.dst'],
    [0x202c00a8, 4, 'buf[0].hdr.reserved'],
    [0x202c00aa, 2, 'buf[0].hdr.reserved.idx'],
    [0x202c00ac, 2, 'buf[0].hdr.len'],
    [0x202c00ae, 1, 'buf[0].hdr.flags'],
    [0x202c00af, 1, 'buf[0].hdr.flags[+1]'],
    [0x202c00b0, 1, 'buf[0].payload[+0]'],
    [0x202c04a0, 4, 'buf[2].hdr.src'],
    [0x202c04b4, 1, 'buf[2].payload[+4]'],
    [0x202c04b0, 4, 'buf[2].payload[+0..+3]'],
    [0x202c089f, 1, 'buf[3].payload[+495]'],
    [0x202c08a0, 4, 'shmem.unused'],
    [0x202c0000, 78, 'vring0.desc[0].addr..shmem.gap-after-vring0[+7]'],
    [0x202c00a0, 512, 'buf[0]'],
    [0x40c48024, 4, 'mu.a.CR'],
    [0x40c4c020, 4, 'mu.b.SR'],
    [0x40c48004, 4, 'mu.a.TR1'],
  ])('names %s (%i B) %s', (address, size, expected) => {
    expect(text(name(address, size))).toBe(expected);
  });

  it('names nothing outside the shared memory and the mailboxes', () => {
    expect(name(0x202c2000, 4)).toBeNull();
    expect(name(0x30000000, 4)).toBeNull();
    expect(name(0x40c48028, 4)).toBeNull();
  });

  it('gives the parts of a name', () => {
    expect(name(0x202c0084, 4)).toEqual({ region: 'vring1', field: 'used.ring[0].id', text: 'vring1.used.ring[0].id', kind: 'used.ring.id', vring: 1, index: 0 });
    expect(name(0x202c04b4, 1)).toEqual({ region: 'buf[2]', field: 'payload[+4]', text: 'buf[2].payload[+4]', kind: 'payload', buffer: 2, offset: 4 });
    expect(name(0x40c48024, 4)).toEqual({ region: 'mu.a', field: 'CR', text: 'mu.a.CR', kind: 'register', register: 'CR' });
    expect(name(0x202c04a5, 1)).toEqual({ region: 'buf[2]', field: 'hdr.dst[+1]', text: 'buf[2].hdr.dst[+1]', kind: 'hdr.dst', buffer: 2, offset: 1, partial: true });
  });

  it('names the MU bits of CR and SR', () => {
    const mu = header.mailboxes[0]!;
    expect(describeRegisterValue(mu, 'CR', 0xc0040000)).toBe('GIE0 GIE1 GIR1');
    expect(describeRegisterValue(mu, 'SR', 0x40f00000)).toBe('GIP1 TE0 TE1 TE2 TE3');
    expect(describeRegisterValue(mu, 'CR', 0)).toBe('no bits set');
    expect(describeRegisterValue(mu, 'TR1', 0x10000)).toBe('vq id 1 << 16');
    expect(describeRegisterValue(mu, 'TR0', 1)).toBe('');
  });

  it('says why, from the field, the operation and the role', () => {
    const mb = header.mailboxes;
    const why = (address: number, size: number, op: 'read' | 'write', role: 'master' | 'remote', value: number, inHandler = false) =>
      whyOf(name(address, size)!, { op, role, value, inHandler }, mb);
    expect(why(0x202c0072, 2, 'write', 'master', 1)).toBe('publish the buffer to the remote: avail.idx counts the messages offered');
    expect(why(0x202c0072, 2, 'read', 'remote', 1, true)).toBe('anything new from the master? (avail.idx against its own count)');
    expect(why(0x202c0074, 2, 'read', 'remote', 0, true)).toBe('take the next message: descriptor 0');
    expect(why(0x202c0082, 2, 'write', 'remote', 3, true)).toBe('give the used buffer back to the master');
    expect(why(0x202c0084, 4, 'read', 'master', 0)).toBe('take the used buffer back: descriptor 0');
    expect(why(0x202c0032, 2, 'write', 'remote', 1)).toBe('publish the message to the master: used.idx counts the messages');
    expect(why(0x202c0080, 2, 'read', 'master', 0)).toBe('may it notify? yes: VRING_USED_F_NO_NOTIFY is clear');
    expect(why(0x40c48024, 4, 'write', 'master', 0xc0040000)).toBe('ring the doorbell: GIR1 interrupts the other core (vring 1)');
    expect(why(0x40c4c020, 4, 'read', 'remote', 0x40f00000, true)).toBe('which doorbell rang? GIP1');
    expect(why(0x40c4c020, 4, 'write', 'remote', 0x40000000, true)).toBe('acknowledge the doorbell: write 1 to clear GIP1');
    expect(why(0x40c48024, 4, 'write', 'master', 0x80000000)).toBe('enable the doorbell interrupts: GIE0');
    expect(why(0x202c04a4, 4, 'write', 'master', 30)).toBe('rpmsg header: the destination endpoint (30)');
    expect(why(0x202c04a5, 1, 'write', 'master', 0)).toBe('byte 1 of the destination endpoint: a byte-by-byte store');
    expect(why(0x202c04ac, 1, 'read', 'remote', 5)).toBe('byte 0 of the payload length: a byte-by-byte load');
    expect(why(0x202c04b4, 1, 'write', 'master', 0x6f)).toBe("copy the payload into the buffer ('o')");
    expect(why(0x40c48004, 4, 'write', 'master', 0x10000)).toBe('send the word to the other side: its RR1, setting its RF1 (its receive interrupt when RIE1 is set)');
    expect(why(0x40c4c014, 4, 'read', 'remote', 0x10000, true)).toBe('take the word the other side wrote to its TR1 (clears RF1)');
    expect(whyOf(name(0x40c48024, 4)!, { op: 'read', role: 'master', value: 0xc0000000, notifying: true }, mb)).toBe('is the doorbell still pending? (GIRn set: do not ring again)');
    expect(whyOf(name(0x202c0082, 2)!, { op: 'read', role: 'master', value: 0, fn: 'rpmsg_lite_master_init' }, mb)).toBe('read used.idx to step it');
  });

  it('says which C function makes an access', () => {
    const c = (address: number, size: number, op: 'read' | 'write', role: 'master' | 'remote', extra: Partial<Parameters<typeof cFunctionOf>[1]> = {}) =>
      cFunctionOf(name(address, size)!, { op, role, value: 0, ...extra });
    expect(c(0x202c0082, 2, 'read', 'master')).toBe('virtqueue_get_buffer(vring1)');
    expect(c(0x202c0050, 4, 'read', 'master', { previous: 'virtqueue_get_buffer(vring1)' })).toBe('virtqueue_get_buffer(vring1)');
    expect(c(0x202c0058, 4, 'read', 'remote')).toBe('virtqueue_get_buffer_length(vring1)');
    expect(c(0x202c0074, 2, 'write', 'master')).toBe('virtqueue_add_buffer(vring1)');
    expect(c(0x202c0074, 2, 'read', 'remote', { inHandler: true })).toBe('virtqueue_get_available_buffer(vring1)');
    expect(c(0x202c0034, 4, 'write', 'remote')).toBe('virtqueue_add_consumed_buffer(vring0)');
    expect(c(0x202c0024, 2, 'write', 'master', { fn: 'rpmsg_lite_master_init' })).toBe('virtqueue_fill_avail_buffers(vring0)');
    expect(c(0x202c0084, 4, 'write', 'master', { fn: 'rpmsg_lite_master_init' })).toBe('virtqueue_fill_used_buffers(vring1)');
    expect(c(0x202c0080, 2, 'read', 'remote')).toBe('virtqueue_kick(vring1)');
    expect(c(0x202c04a4, 4, 'write', 'master', { fn: 'rpmsg_lite_send' })).toBeNull();
    expect(c(0x202c04a4, 4, 'read', 'remote', { inHandler: true })).toBe('rpmsg_lite_rx_callback');
    expect(c(0x202c04b0, 4, 'read', 'remote', { inHandler: true, inCallback: true })).toBe('the endpoint callback (the application)');
    expect(c(0x40c48024, 4, 'read', 'master', { notifying: true })).toBe('platform_notify');
    expect(c(0x40c4c024, 4, 'write', 'remote', { fn: 'rpmsg_lite_remote_init' })).toBe('platform_init_interrupt');
  });

  it('infers the same layout from the trace header alone, saying what it assumed', () => {
    const inferred = layoutFromHeader(header);
    expect([inferred.bufferCount, inferred.bufferSize, inferred.vringAlign, inferred.vringSize, inferred.bufferBase]).toEqual([2, 512, 0x10, 0x50, 0x202c00a0]);
    expect(inferred.assumptions).toEqual([
      'buffer payload size: the trace header does not give it; assumed the default 496 B (RL_BUFFER_SIZE 512)',
      'VRING_ALIGN: inferred as 0x10, the smallest alignment that puts the used ring at 0x202c0030',
    ]);
    expect(inferred.vrings[1].usedRingLen(1)).toBe(layout.vrings[1].usedRingLen(1));
  });
});

describe('imx8mm (shared memory 0xB8000000, Linux-facing vrings: VRING_ALIGN 0x1000, VRING_SIZE 0x8000)', () => {
  const { layout, header } = layoutOfPlatform('imx8mm');
  const name = namerFor(layout, header);

  it.each([
    [0xb8000000, 4, 'vring0.desc[0].addr'],
    [0xb8000022, 2, 'vring0.avail.idx'],
    [0xb8000028, 2, 'vring0.avail.used_event'],
    [0xb800002a, 2, 'vring0.padding'],
    [0xb8000fff, 1, 'vring0.padding[+4053]'],
    [0xb8001002, 2, 'vring0.used.idx'],
    [0xb8001004, 4, 'vring0.used.ring[0].id'],
    [0xb8001014, 2, 'vring0.used.avail_event'],
    [0xb8001016, 2, 'shmem.gap-after-vring0'],
    [0xb8008022, 2, 'vring1.avail.idx'],
    [0xb8009002, 2, 'vring1.used.idx'],
    [0xb8010000, 4, 'buf[0].hdr.src'],
    [0xb8010200, 4, 'buf[1].hdr.src'],
    [0xb80107fc, 4, 'buf[3].payload[+492..+495]'],
    [0xb8010800, 4, 'shmem.unused'],
    [0x30ab0024, 4, 'mu.b.CR'],
  ])('names %s (%i B) %s', (address, size, expected) => {
    expect(text(name(address, size))).toBe(expected);
  });

  it('infers VRING_ALIGN 0x1000 and VRING_SIZE 0x8000 from the header', () => {
    const inferred = layoutFromHeader(header, { bufferSize: 512 });
    expect([inferred.bufferCount, inferred.vringAlign, inferred.vringSize, inferred.bufferBase, inferred.assumptions.length]).toEqual([2, 0x1000, 0x8000, 0xb8010000, 1]);
  });
});

describe('lpc55s69 (one mailbox register file; 4 buffers per direction)', () => {
  const { layout, header } = layoutOfPlatform('lpc55s69', { config: { bufferCount: 4 } });
  const name = namerFor(layout, header);

  it.each([
    // base 0x20031800, N 4: avail at +0x40, used at alignUp(+0x4c, 16) = +0x50, VRING_SIZE 0x80
    [0x20031842, 2, 'vring0.avail.idx'],
    [0x2003184c, 2, 'vring0.avail.used_event'],
    [0x20031852, 2, 'vring0.used.idx'],
    [0x2003186c, 4, 'vring0.used.ring[3].id'],
    [0x200318c2, 2, 'vring1.avail.idx'],
    [0x20031900, 4, 'buf[0].hdr.src'],
    [0x20032700, 4, 'buf[7].hdr.src'],
    [0x4008b014, 4, 'mailbox.IRQ1SET'],
    [0x4008b0f8, 4, 'mailbox.MUTEX'],
  ])('names %s (%i B) %s', (address, size, expected) => {
    expect(text(name(address, size))).toBe(expected);
  });

  it('says what the LPC mailbox bits do', () => {
    const mb = header.mailboxes;
    expect(describeRegisterValue(mb[0]!, 'IRQ1SET', 2)).toBe('bit 1');
    expect(whyOf(name(0x4008b014, 4)!, { op: 'write', role: 'master', value: 2 }, mb)).toBe("ring the doorbell: bit 1 (vring 1) in the other CPU's word");
    expect(whyOf(name(0x4008b008, 4)!, { op: 'write', role: 'remote', value: 2, inHandler: true }, mb)).toBe('acknowledge the doorbell: clear bit 1');
  });
});

describe('the ring reducer on the ping-pong golden trace', () => {
  const { header, records } = readJsonl(readFileSync(join(__dirname, '../scenarios/golden/ping-pong.jsonl'), 'utf8'));
  const size = bufferSizeFromRecords(header, records);
  const layout = layoutFromHeader(header, { bufferSize: size! });
  const roleOf = (c: string) => header.cores.find((core) => core.name === c)?.role ?? null;
  const reduce = ringReducer(layout, roleOf);
  const stateAt = (until: (r: TraceRecord) => boolean): RingState => {
    let s = initialRingState(layout);
    for (const r of records) {
      s = reduce(s, r);
      if (until(r)) break;
    }
    return s;
  };
  const places = (s: RingState) => s.vrings.map((v) => v.descs.map((d) => `${d.buffer}:${d.place}`).join(' '));

  it('layoutOfTrace gives the same layout from the header and records', () => {
    const fromTrace = layoutOfTrace(header, records);
    expect(JSON.stringify(fromTrace)).toBe(JSON.stringify(layout));
    expect([fromTrace.vrings[1].usedRingLen(1), fromTrace.vrings[0].desc(1).next]).toEqual([0x202c0090, 0x202c001e]);
    expect(layoutOfTrace(header, []).assumptions[0]).toBe('buffer payload size: the trace header does not give it; assumed the default 496 B (RL_BUFFER_SIZE 512)');
  });

  it('reads RL_BUFFER_SIZE from master init', () => {
    expect(size).toBe(512);
    expect(layout.assumptions).toEqual(['VRING_ALIGN: inferred as 0x10, the smallest alignment that puts the used ring at 0x202c0030']);
  });

  it('starts with nothing laid out', () => {
    expect(places(initialRingState(layout))).toEqual(['null:unset null:unset', 'null:unset null:unset']);
  });

  it('after master init: vring 0 offers both empty buffers, vring 1 has both free in its used ring', () => {
    const s = stateAt((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init');
    expect(places(s)).toEqual(['0:avail 1:avail', '2:used 3:used']);
    expect(s.vrings.map((v) => [v.availIdx, v.usedIdx])).toEqual([[2, null], [null, 2]]);
  });

  it('says which buffers each side owns', () => {
    const delivered = stateAt((r) => r.kind === 'rl-deliver' && r.dir === 'm2r' && r.msg === 0);
    expect(buffersByPlace(delivered)).toEqual({ unset: [], master: [], remote: [2], avail: [0, 1], used: [3] });
  });

  it('after the first master→remote enqueue and the remote taking it', () => {
    const enq = stateAt((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_send' && r.component === 'cm7');
    expect(places(enq)[1]).toBe('2:avail 3:used');
    const delivered = stateAt((r) => r.kind === 'rl-deliver' && r.dir === 'm2r' && r.msg === 0);
    expect(places(delivered)[1]).toBe('2:remote 3:used');
  });

  it('after master init, with the values its memsets left in the indices (0): every index known', () => {
    // master init's two vring memsets (78 B from 0x202c0000 and from 0x202c0050) cover both indices of their vring
    const memsets = records.filter((r) => r.kind === 'burst' && r.op === 'write' && r.size === 78);
    expect(memsets.map((r) => r.kind === 'burst' && r.address)).toEqual([0x202c0000, 0x202c0050]);
    const asked: string[] = [];
    const withZeros = ringReducer(layout, roleOf, {
      burstValue: (r, address) => {
        asked.push(`${hex(r.address)}:${hex(address)}`);
        return 0;
      },
    });
    let s = initialRingState(layout);
    for (const r of records) {
      s = withZeros(s, r);
      if (r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init') break;
    }
    // per vring: each descriptor's addr and ring slots first (desc[i].addr, avail.ring[i], used.ring[i].id), then the indices
    expect(asked).toEqual([
      ...['0x202c0000', '0x202c0024', '0x202c0034', '0x202c0010', '0x202c0026', '0x202c003c', '0x202c0022', '0x202c0032'].map((a) => `0x202c0000:${a}`),
      ...['0x202c0050', '0x202c0074', '0x202c0084', '0x202c0060', '0x202c0076', '0x202c008c', '0x202c0072', '0x202c0082'].map((a) => `0x202c0050:${a}`),
    ]);
    expect(s.vrings.map((v) => [v.availIdx, v.usedIdx])).toEqual([[2, 0], [0, 2]]);
    // the first value after unknown moves no descriptor: the places are those without the values
    expect(places(s)).toEqual(['0:avail 1:avail', '2:used 3:used']);
  });

  it('a burst write that changes a known index publishes the slots it passes, as a write of the index does', () => {
    const after = stateAt((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init');
    // the master takes buf[2] (desc 0 of vring 1) for a message, then a cache line written back over avail.idx makes it 1
    const taken = reduce(after, { t: 0, component: 'cm7', kind: 'bus', op: 'read', address: 0x202c0084, size: 4, value: 0, target: 'ocram', cycles: 1, stall: 0 });
    const slot = reduce(taken, { t: 0, component: 'cm7', kind: 'bus', op: 'write', address: 0x202c0074, size: 2, value: 0, target: 'ocram', cycles: 1, stall: 0 });
    const known = { ...slot, vrings: slot.vrings.map((v, q) => (q === 1 ? { ...v, availIdx: 0 } : v)) };
    expect(places(known)[1]).toBe('2:master 3:used');
    const line = { t: 0, component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0060, size: 32, target: 'ocram', beats: 4, cycles: 4, stall: 0 } as const;
    const written = ringReducer(layout, roleOf, { burstValue: (_r, address) => (address === 0x202c0072 ? 1 : undefined) })(known, line);
    expect(written.vrings[1]!.availIdx).toBe(1);
    expect(places(written)[1]).toBe('2:avail 3:used');
    // the same value again changes nothing: the same state back
    expect(ringReducer(layout, roleOf, { burstValue: (_r, address) => (address === 0x202c0072 ? 1 : undefined) })(written, line)).toBe(written);
    // no value: unknown, and nobody moves
    const unknown = reduce(known, line);
    expect([unknown.vrings[1]!.availIdx, places(unknown)[1]]).toEqual([null, '2:master 3:used']);
    // a burst over no index is not looked up
    const payload = { ...line, address: 0x202c06a0, size: 16 };
    const never = () => {
      throw new Error('looked up');
    };
    expect(ringReducer(layout, roleOf, { burstValue: never })(known, payload)).toBe(known);
  });

  it('a burst write over a descriptor and a ring slot applies them before the index: the index passes the slot the burst wrote', () => {
    const after = stateAt((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init');
    // as if the master had not been seen writing desc 1 of vring 1: no buffer, unset
    const blank = { ...after, vrings: after.vrings.map((v, q) => (q === 1 ? { ...v, availIdx: 0, descs: v.descs.map((d, i) => (i === 1 ? { buffer: null, place: 'unset' as const } : d)) } : v)) };
    expect(places(blank)[1]).toBe('2:used null:unset');
    // one D-cache line written back over vring 1's desc[1] (addr 0x202c06a0: buf[3]), avail.idx (1) and avail.ring[0] (1)
    const line = { t: 0, component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0060, size: 32, target: 'ocram', beats: 4, cycles: 4, stall: 0 } as const;
    const values: Record<number, number> = { [0x202c0060]: 0x202c06a0, [0x202c0072]: 1, [0x202c0074]: 1 };
    const withValues = ringReducer(layout, roleOf, { burstValue: (_r, address) => values[address] });
    const written = withValues(blank, line);
    expect([written.vrings[1]!.availRing, written.vrings[1]!.availIdx, places(written)[1]]).toEqual([[1, null], 1, '2:used 3:avail']);
    // the same line written back again (its bytes unchanged) moves nothing
    expect(withValues(written, line)).toBe(written);
    // desc.addr naming the buffer the descriptor has already: its holder stays (the remote took it meanwhile)
    const taken = { ...written, vrings: written.vrings.map((v, q) => (q === 1 ? { ...v, descs: v.descs.map((d, i) => (i === 1 ? { ...d, place: 'remote' as const } : d)) } : v)) };
    expect(withValues(taken, line)).toBe(taken);
    // another buffer: the descriptor goes to the core whose line it is, as a write of desc.addr does
    const moved = ringReducer(layout, roleOf, { burstValue: (_r, address) => (address === 0x202c0060 ? 0x202c04a0 : values[address]) })(taken, line);
    expect(places(moved)[1]).toBe('2:used 2:master');
  });

  it('burstFieldReader reads every vring field a burst write covers (its first byte in it) with its own size, and only for burst writes', () => {
    const read = burstFieldReader(layout);
    // the value tells the size read and the address: 0x2000 + low byte for 2 bytes, 0x4000 + low byte for 4
    const memory = (address: number, size: number) => size * 0x1000 + (address & 0xff);
    const burst = { t: 0, component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0020, size: 19, target: 'ocram', beats: 3, cycles: 3, stall: 0 } as const;
    // avail.flags, avail.idx, avail.ring[0..1], used_event, (padding 0x2a..0x2f left out), used.flags, used.idx (its first byte is the burst's last)
    const avail = { [0x202c0020]: 0x2020, [0x202c0022]: 0x2022, [0x202c0024]: 0x2024, [0x202c0026]: 0x2026, [0x202c0028]: 0x2028, [0x202c0030]: 0x2030 };
    expect(read(burst, memory)).toEqual({ ...avail, [0x202c0032]: 0x2032 });
    expect(read({ ...burst, size: 18 }, memory)).toEqual(avail);
    // from the middle of avail.idx: the fields after it
    expect(Object.keys(read({ ...burst, address: 0x202c0023, size: 4 }, memory)!).map(Number)).toEqual([0x202c0024, 0x202c0026]);
    // over vring 0's end, the gap and vring 1's desc[0]: used.ring[1].len, used.avail_event, desc[0] addr (low word) / len / flags / next
    expect(read({ ...burst, address: 0x202c0040, size: 32 }, memory)).toEqual({
      [0x202c0040]: 0x4040,
      [0x202c0044]: 0x2044,
      [0x202c0050]: 0x4050,
      [0x202c0058]: 0x4058,
      [0x202c005c]: 0x205c,
      [0x202c005e]: 0x205e,
    });
    // used.ring[k].id and .len are 32-bit
    expect(read({ ...burst, address: 0x202c0084, size: 8 }, memory)).toEqual({ [0x202c0084]: 0x4084, [0x202c0088]: 0x4088 });
    expect(read({ ...burst, op: 'read' }, memory)).toBeNull();
    expect(read({ ...burst, address: 0x202c00a0, size: 512 }, memory)).toBeNull();
    expect(read(burst, () => undefined)).toBeNull();
    expect(read({ t: 0, component: 'cm7', kind: 'bus', op: 'write', address: 0x202c0022, size: 2, value: 1, target: 'ocram', cycles: 1, stall: 0 }, memory)).toBeNull();
  });

  it('returns the same state for records that change nothing', () => {
    const after = stateAt((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init');
    // a read of vring 0's avail.idx that shows the value already known (2)
    expect(reduce(after, { t: 0, component: 'cm4', kind: 'bus', op: 'read', address: 0x202c0022, size: 2, value: 2, target: 'ocram', cycles: 1, stall: 0 })).toBe(after);
    const changed = reduce(after, { t: 0, component: 'cm4', kind: 'bus', op: 'read', address: 0x202c0024, size: 2, value: 0, target: 'ocram', cycles: 1, stall: 0 });
    expect(changed).not.toBe(after);
    expect(places(changed)[0]).toBe('0:remote 1:avail');
    expect(places(after)[0]).toBe('0:avail 1:avail');
    const s = initialRingState(layout);
    expect(reduce(s, { t: 0, component: 'cm7', kind: 'rl-call', fn: 'rpmsg_lite_send' })).toBe(s);
    expect(reduce(s, { t: 0, component: 'cm7', kind: 'bus', op: 'read', address: 0x30000000, size: 4, value: 0, target: 'flexspi', cycles: 1, stall: 0 })).toBe(s);
  });
});

test('mailboxRegisters: the header\'s registers by full name, or one reg_<offset> a word for a window without names', () => {
  expect(mailboxRegisters({ name: 'mu.a', base: 0x40c48000, size: 40, registers: [{ name: 'SR', offset: 32 }, { name: 'CR', offset: 36 }] })).toEqual([
    { address: 0x40c48020, name: 'mu.a.SR' },
    { address: 0x40c48024, name: 'mu.a.CR' },
  ]);
  expect(mailboxRegisters({ name: 'mbx', base: 0x1000, size: 10, registers: [] })).toEqual([
    { address: 0x1000, name: 'mbx.reg_0x0' },
    { address: 0x1004, name: 'mbx.reg_0x4' },
    { address: 0x1008, name: 'mbx.reg_0x8' },
  ]);
});
