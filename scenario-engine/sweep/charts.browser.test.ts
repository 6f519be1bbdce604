// The sweep's charts in a real browser: headless Chromium (Debian's, through playwright-core,
// as teach/view's browser tests run it) opens each SVG file as a document and every text
// label (title, subtitle, tick labels, axis labels, legend) must be drawn: a box of some
// size, inside the picture, not hidden, and the topmost thing where it stands.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { axesOf } from './grid';
import { resultsCharts } from './results';
import { runSweep } from './sweep';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FILE = join('scenario-engine', 'sweep', 'fixtures', 'ping-pong-short.yaml');

let browser: Browser;
let charts: { file: string; svg: string }[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: the charts' browser test needs it (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH)`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const results = await runSweep({ file: FILE, axes: axesOf({ platform: 'imxrt1170,lpc55s69', buffers: '2,4', size: '16,64,256' }), shard: null, jobs: 1 });
  charts = resultsCharts(results);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Label {
  text: string;
  cls: string;
  box: { x: number; y: number; width: number; height: number };
  visible: boolean;
  topmost: boolean;
}

test('the four charts are drawn', () => {
  expect(charts.map((c) => c.file)).toEqual(['latency-vs-size.svg', 'throughput-vs-buffers.svg', 'latency-histogram.svg', 'latency-cdf.svg']);
});

test.each(['latency-vs-size.svg', 'throughput-vs-buffers.svg', 'latency-histogram.svg', 'latency-cdf.svg'])('%s: every text label is visible inside the picture', async (file) => {
  const svg = charts.find((c) => c.file === file)!.svg;
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('data:')) requests.push(r.url());
  });
  try {
    await page.goto(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
    const size = await page.evaluate(() => {
      const root = document.documentElement as unknown as SVGSVGElement;
      return { tag: root.tagName, width: root.width.baseVal.value, height: root.height.baseVal.value };
    });
    expect(size.tag).toBe('svg');
    const labels: Label[] = await page.evaluate(() =>
      Array.from(document.querySelectorAll('text')).map((t) => {
        const r = t.getBoundingClientRect();
        const style = getComputedStyle(t);
        // the label's middle, as a reader's eye finds it: the text itself is on top there
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return {
          text: t.textContent ?? '',
          cls: t.getAttribute('class') ?? '',
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
          visible: style.visibility === 'visible' && style.display !== 'none' && Number(style.opacity) > 0 && style.fill !== 'rgb(255, 255, 255)',
          topmost: hit === t || (hit !== null && t.contains(hit)),
        };
      }),
    );
    expect(labels.length).toBeGreaterThan(10);
    const classes = new Set(labels.map((l) => l.cls));
    for (const cls of ['title', 'subtitle', 'tick', 'axis-label']) expect(classes.has(cls)).toBe(true);
    for (const l of labels) {
      expect({ text: l.text, visible: l.visible, topmost: l.topmost }).toEqual({ text: l.text, visible: true, topmost: true });
      expect(l.text.trim()).not.toBe('');
      expect(l.box.width).toBeGreaterThan(0);
      expect(l.box.height).toBeGreaterThanOrEqual(8);
      // wholly inside the picture (nothing cut off at an edge)
      expect([l.text, l.box.x >= 0, l.box.y >= 0, l.box.x + l.box.width <= size.width, l.box.y + l.box.height <= size.height]).toEqual([l.text, true, true, true, true]);
    }
    // no two labels overlap (ticks crowding on an axis, a legend entry over another)
    const overlap = (a: Label['box'], b: Label['box']) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const crossing = labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => overlap(a.box, b.box)).map((b) => `${a.text} / ${b.text}`));
    expect(crossing).toEqual([]);
    // the axis labels say their unit
    expect(labels.filter((l) => l.cls === 'axis-label').every((l) => /\(.+\)$/.test(l.text))).toBe(true);
    expect(requests).toEqual([]);
  } finally {
    await page.close();
  }
}, 30_000);
