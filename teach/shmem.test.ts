// Decoding a real shared-memory image: the one-message lesson's memory at the end of its run.

import { readScenarioFile } from '../scenario-engine/files';
import { runScenario } from '../scenario-engine/run';
import { join } from 'node:path';
import { ShmemSizeError, decodeShmem } from './shmem';
import { layoutOfScenario } from './system-layout';

const loaded = readScenarioFile(join('scenarios', 'lessons', 'one-message.yaml'));
const scenario = loaded.scenario!;
let image: Uint8Array | null = null;
runScenario(scenario, { onMark: (label, _t, bytes) => { if (label === 'end') image = bytes; } });
const { layout } = layoutOfScenario(scenario);
const text = decodeShmem(layout, image!, 'one-message');
const lines = text.split('\n');

test('the image is the 8 KiB of imxrt1170 shared memory', () => {
  expect(image!.length).toBe(8192);
  expect(lines[0]).toBe('one-message: shared memory image of 8192 B at 0x202C0000');
});

test('vring1 after one message: published once, returned once after the two pre-loaded buffers', () => {
  expect(lines).toContain('0x202C0050  vring1.desc[0].addr         0x202c04a0  buf[2]');
  expect(lines).toContain('0x202C005C  vring1.desc[0].flags        0x2         VRING_DESC_F_WRITE');
  expect(lines).toContain('0x202C006E  vring1.desc[1].next         32768       VQ_RING_DESC_CHAIN_END');
  expect(lines).toContain('0x202C0070  vring1.avail.flags          0x1         VRING_AVAIL_F_NO_INTERRUPT');
  expect(lines).toContain('0x202C0072  vring1.avail.idx            1           1 entry written so far (free-running; next slot 1)');
  expect(lines).toContain('0x202C0074  vring1.avail.ring[0]        0           descriptor');
  expect(lines).toContain('0x202C0082  vring1.used.idx             3           3 entries written so far (free-running; next slot 1)');
  expect(lines).toContain('0x202C0088  vring1.used.ring[0].len     512');
});

test('the message buffer: header fields and the payload in hex and ASCII', () => {
  const at = lines.indexOf('0x202C04A0  buf[2].hdr.src              1           source endpoint');
  expect(at).toBeGreaterThan(0);
  expect(lines.slice(at, at + 7)).toEqual([
    '0x202C04A0  buf[2].hdr.src              1           source endpoint',
    '0x202C04A4  buf[2].hdr.dst              30          destination endpoint',
    '0x202C04A8  buf[2].hdr.reserved.rfu     0',
    '0x202C04AA  buf[2].hdr.reserved.idx     0           descriptor index (zero copy)',
    '0x202C04AC  buf[2].hdr.len              5           payload bytes',
    '0x202C04AE  buf[2].hdr.flags            0',
    '0x202C04B0  buf[2].payload[+0..+4]      68 65 6c 6c 6f                                   |hello|',
  ]);
  expect(lines).toContain('0x202C06B0  buf[3].payload              (all zero)');
});

test('payloadBytes limits the bytes shown', () => {
  const short = decodeShmem(layout, image!, 'one-message', { payloadBytes: 2 }).split('\n');
  expect(short).toContain('0x202C04B0  buf[2].payload[+0..+1]      68 65                                            |he|');
  expect(short).toContain('                                        … 3 more bytes of hdr.len 5 (--payload-bytes to show them)');
});

test('an image of another size is refused', () => {
  expect(() => decodeShmem(layout, new Uint8Array(100), 'x')).toThrow(new ShmemSizeError('the image has 100 B; the shared memory of this layout is 8192 B (give the scenario or platform that made it)'));
});
