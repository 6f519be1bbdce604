// The shared-memory map: rows and text for hand-computed layouts, and the SVG parsed as XML.

import { DOMParser } from '@xmldom/xmldom';
import { layoutRows, layoutSvg, layoutText } from './layout';
import { layoutOfPlatform } from './system-layout';

describe('imxrt1170 default: 2 buffers of 512 B, VRING_ALIGN 0x10, VRING_SIZE 0x50', () => {
  const { layout } = layoutOfPlatform('imxrt1170');
  const text = layoutText(layout, 'imxrt1170');
  const lines = text.split('\n');

  it('starts with the shared memory and the configuration', () => {
    expect(lines.slice(0, 4)).toEqual([
      'imxrt1170: shared memory 0x202C0000..0x202C2000 (8192 B)',
      'rpmsg-lite: RL_BUFFER_COUNT 2, RL_BUFFER_PAYLOAD_SIZE 496 B (RL_BUFFER_SIZE 512 B), VRING_ALIGN 0x10, VRING_SIZE 0x50',
      '',
      'start       end           bytes  what',
    ]);
  });

  it('shows each part of vring0, its padding and the gaps, with addresses and sizes', () => {
    expect(lines).toContain('0x202C0000  0x202C0046       70  vring0  remote→master messages (the master\'s rx, the remote\'s tx)');
    expect(lines).toContain('0x202C0028  0x202C002A        2    vring0.avail.used_event  u16, unused (no EVENT_IDX)');
    expect(lines).toContain('0x202C002A  0x202C0030        6    vring0 padding  aligns the used ring to VRING_ALIGN 0x10');
    expect(lines).toContain('0x202C0034  0x202C0044       16    vring0.used.ring[0..1]  2 × {id u32, len u32}, written by the remote');
    expect(lines).toContain('0x202C0046  0x202C0050       10  gap  up to VRING_SIZE 0x50 from vring0');
    expect(lines).toContain('0x202C0096  0x202C00A0       10  gap  the buffers start at 2 × VRING_SIZE, word aligned');
    expect(lines).toContain('0x202C04A0  0x202C06A0      512    buf[2]  vring1.desc[0]\'s (master→remote)');
    expect(lines[lines.length - 2]).toBe('0x202C08A0  0x202C2000     5984  unused  not used by rpmsg-lite');
  });

  it('covers the shared memory exactly with its top-level rows', () => {
    const top = layoutRows(layout).filter((r) => r.depth === 0);
    let at = 0x202c0000;
    for (const r of top) {
      expect(r.start).toBe(at);
      at = r.start + r.size;
    }
    expect(at).toBe(0x202c2000);
    expect(top.map((r) => r.name)).toEqual(['vring0', 'gap', 'vring1', 'gap', 'buf[0..3]', 'unused']);
  });

  it('writes a well-formed, self-contained SVG with one row group per row', () => {
    const svg = layoutSvg(layout, 'imxrt1170');
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(svg, 'image/svg+xml');
    expect(errors).toEqual([]);
    const root = doc.documentElement!;
    expect(root.nodeName).toBe('svg');
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(svg).not.toMatch(/href|url\(|<script|<image|@import/);
    const groups = Array.from(doc.getElementsByTagName('g')).filter((g) => (g.getAttribute('class') ?? '').startsWith('row '));
    const rows = layoutRows(layout);
    expect(groups.length).toBe(rows.length);
    expect(groups.map((g) => g.getAttribute('data-start'))).toEqual(rows.map((r) => `0x${r.start.toString(16).toUpperCase().padStart(8, '0')}`));
    const padding = groups.find((g) => g.getAttribute('data-start') === '0x202C002A')!;
    expect(padding.getAttribute('class')).toBe('row padding');
    expect(padding.getElementsByTagName('text')[0]!.textContent).toBe('0x202C002A..0x202C0030      6 B  vring0 padding  aligns the used ring to VRING_ALIGN 0x10');
    expect(layoutSvg(layout, 'imxrt1170')).toBe(svg);
  });
});

describe('imx8mm: Linux-facing vrings, VRING_ALIGN 0x1000', () => {
  const { layout } = layoutOfPlatform('imx8mm', { config: { bufferCount: 16 } });
  const lines = layoutText(layout, 'imx8mm').split('\n');

  it('shows the 4 KiB alignment padding and lists many descriptors in one row', () => {
    // avail at +0x100 (16 × 16), used_event at +0x124, used at alignUp(+0x126, 0x1000) = +0x1000
    expect(lines).toContain('0xB8000124  0xB8000126        2    vring0.avail.used_event  u16, unused (no EVENT_IDX)');
    expect(lines).toContain('0xB8000126  0xB8001000     3802    vring0 padding  aligns the used ring to VRING_ALIGN 0x1000');
    expect(lines).toContain('0xB8000000  0xB8000100      256    vring0.desc[0..15]  descriptor table: 16 × 16 B (addr u64, len u32, flags u16, next u16)');
    expect(lines.filter((l) => /vring0\.desc\[\d+\]  /.test(l))).toEqual([]);
    expect(lines).toContain('0xB8010000  0xB8014000    16384  buf[0..31]  32 × RL_BUFFER_SIZE 512 B: rpmsg header 16 B + payload 496 B');
  });
});

test('a configuration whose buffers do not fit says so (lpc55s69, 8 buffers: VRING_SIZE 0xF0, (6144 - 480) / 512 = 11 fit)', () => {
  const { layout } = layoutOfPlatform('lpc55s69', { config: { bufferCount: 8 } });
  expect(layoutText(layout, 'lpc55s69').split('\n')[2]).toBe('warning: only 11 buffers fit; rpmsg_lite_master_init returns NULL (it needs 16)');
});
