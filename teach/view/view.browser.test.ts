// The view page of a ping-pong run in a real headless Chromium: what it shows at step k is
// the state the reducer computes in Node from the golden trace at step k (reached by the
// scrubber, the buttons, the keys, the time and cycle boxes, forwards and back); clicking an
// element shows the golden line of the record that last changed it; the page makes no
// request and logs no error, and opens from disk.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectView, renderHtml } from './build';
import { shownFields } from './state';
import { type Viewer, goldenTrace, launchChromium, loadScenario, openViewer, scrubTo, shownOnPage, stepOf } from './test-support';

/** The index of the last element that passes, or -1 (Array.prototype.findLastIndex is ES2023). */
function lastIndex<T>(list: readonly T[], test: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return i;
  return -1;
}

const data = collectView(loadScenario('scenarios/ping-pong.yaml'));
// the fold knows the indices the bursts left as the page does: from the run's data
const golden = goldenTrace('ping-pong', undefined, undefined, data.bursts);
const n = golden.records.length;
const html = renderHtml(data);

let browser: Browser;
let open: Viewer;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  open = await openViewer(browser);
  await open.load(html);
  page = open.page;
}, 30_000);

afterAll(async () => {
  await open?.close();
  await browser?.close();
});

afterEach(() => {
  // every test: no request left the page, nothing went to the console as an error
  expect(open.requests).toEqual([]);
  expect(open.errors).toEqual([]);
});

async function expectShownAt(k: number): Promise<void> {
  expect(await stepOf(page)).toBe(k);
  expect(await page.textContent('#step')).toBe(`step ${k} of ${n}`);
  expect(await shownOnPage(page)).toEqual(shownFields(golden.model, golden.stateAt(k)));
}

test('the state shown at step k is the state computed from the trace at step k (scrubbing forwards and back)', async () => {
  await expectShownAt(0);
  // 101: cm4 in its first handler; 139: r2m#0 queued; 178: delivered; then back
  for (const k of [1, 101, 139, 178, 1000, n, 500, 140, 2]) {
    await scrubTo(page, k);
    await expectShownAt(k);
  }
});

test('after master init every index is known: the page and the fold show the 0 its memsets left, not x', async () => {
  const init = golden.records.findIndex((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init');
  expect(golden.records[init]).toMatchObject({ component: 'cm7', code: 0 });
  await scrubTo(page, init + 1);
  await expectShownAt(init + 1);
  const shown = await shownOnPage(page);
  const indices = ['vring0.avail.idx', 'vring0.used.idx', 'vring1.avail.idx', 'vring1.used.idx'];
  // vring0's avail and vring1's used indices master init wrote (2 buffers each); the other two its memsets cleared
  expect(indices.map((k) => shown[k])).toEqual(['2', '0', '0', '2']);
  // without the values of the bursts the fold does not know the two cleared ones
  const alone = goldenTrace('ping-pong');
  expect(indices.map((k) => shownFields(alone.model, alone.stateAt(init + 1))[k])).toEqual(['2', 'x', 'x', '2']);
});

test('buttons and keys step by record and by phase, and back', async () => {
  await page.keyboard.press('Home');
  await expectShownAt(0);
  await page.click('#forward');
  await expectShownAt(1);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('l');
  await expectShownAt(3);
  await page.keyboard.press('ArrowLeft');
  await expectShownAt(2);
  await page.click('#back');
  await page.keyboard.press('h');
  await expectShownAt(0);
  // phases: r2m#0's boundaries at steps 129 (send call), 147 (notify), 149 (doorbell write)
  await page.keyboard.press(']');
  await expectShownAt(129);
  expect(await page.textContent('#phase')).toBe('phase: r2m#0 send path');
  await page.keyboard.press('Shift+ArrowRight');
  await expectShownAt(147);
  await page.click('#next-phase');
  await expectShownAt(149);
  expect(await page.textContent('#phase')).toBe('phase: r2m#0 mailbox crossing');
  await page.click('#prev-phase');
  await expectShownAt(147);
  await page.keyboard.press('[');
  await page.keyboard.press('Shift+ArrowLeft');
  await expectShownAt(0);
  await page.keyboard.press('End');
  await expectShownAt(n);
  await page.click('#first');
  await expectShownAt(0);
  await page.click('#last');
  await expectShownAt(n);
});

test('play runs the records on until paused (button and space)', async () => {
  await page.keyboard.press('Home');
  await page.selectOption('#speed', '10');
  await page.click('#play');
  expect(await page.textContent('#play')).toBe('pause');
  await page.waitForFunction(() => Number(document.body.dataset['step']) >= 30);
  await page.keyboard.press(' ');
  expect(await page.textContent('#play')).toBe('play');
  const stopped = await stepOf(page);
  expect(stopped % 10).toBe(0); // 10 records a frame
  // paused: a few frames later it is still there
  await page.evaluate(() => new Promise((done) => setTimeout(done, 200)));
  await expectShownAt(stopped);
});

test('the time scrubber and the time and cycle boxes go to the last record at or before that time', async () => {
  const stepAtTick = (t: number) => golden.records.filter((r) => r.t <= t).length;
  await page.fill('#goto-ns', '1000000');
  await page.press('#goto-ns', 'Enter');
  await expectShownAt(stepAtTick(996_000_000)); // 1 ms at 996 GHz
  // cm7 cycle 1010533 = tick 1010533000, r2m#0's delivery
  await page.fill('#goto-cycles-cm7', '1010533');
  await page.press('#goto-cycles-cm7', 'Enter');
  const k = stepAtTick(1_010_533_000);
  await expectShownAt(k);
  expect(golden.records[k - 1]).toMatchObject({ kind: 'rl-deliver', dir: 'r2m', msg: 0 });
  // the time scrubber: 1014591.365 ns is 1010533000 ticks less a fraction, just before r2m#0's delivery
  await page.$eval('#scrub-time', (e) => {
    (e as HTMLInputElement).value = '1014591.3';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expectShownAt(stepAtTick(Math.floor((1014591.3 * 996e9) / 1e9)));
  expect(await stepOf(page)).toBe(k - 1);
  await page.fill('#goto-cycles-cm4', '400000'); // 400000 × 2490 ticks
  await page.press('#goto-cycles-cm4', 'Enter');
  await expectShownAt(stepAtTick(400_000 * 2490));
});

test('clicking an element shows the record that last changed it', async () => {
  await scrubTo(page, 140);
  const shows = async (selector: string, index: number) => {
    await page.click(selector, { timeout: 2000 });
    expect(await page.textContent('#record')).toBe(`#${index} ${golden.lines[index + 1]}`);
  };
  await shows('#buf-0', 139); // its rl-enqueue
  // the panel follows the selection: at 178 buf[0]'s last change is r2m#0's delivery
  await scrubTo(page, 178);
  expect(await page.textContent('#record')).toBe(`#177 ${golden.lines[178]}`);
  await scrubTo(page, 140);
  await shows('[data-key="flight.r2m#0"] circle', 139);
  await shows('tr[data-key="core.cm4.mode"]', 107); // exception-return
  await shows('#core-cm4', 107);
  const lastLine = lastIndex(golden.records.slice(0, 140), (r) => r.kind === 'irq-line' && r.component === 'mu.b.irq');
  await shows('#line-hit-mu\\.b\\.irq', lastLine);
  const lastAvail = lastIndex(golden.records.slice(0, 140), (r) => r.kind === 'bus' && r.address === golden.header.vrings[0]!.availIdx);
  await shows('#vring0-avail-pointer', lastAvail);
  await shows('[data-key="time"]', 139);
  expect(await page.textContent('#record-title')).toBe('time');
  await page.click('tr[data-key="line.mu.a.irq"]');
  expect(await page.textContent('#record')).toBe('not changed since the start of the run');
  // the list around the current record moves there
  await page.click('#around li[data-step="137"]');
  await expectShownAt(137);
  expect(await page.textContent('#current')).toBe(`#136 ${golden.lines[137]}`);
});

test('the page opens from disk (file://) and makes no request there either', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-view-'));
  try {
    const file = join(dir, 'run.html');
    writeFileSync(file, html);
    const context = await browser.newContext();
    const requests: string[] = [];
    const errors: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await p.goto(`file://${file}`);
    await p.waitForSelector('body[data-ready="true"]');
    expect(await p.textContent('#step')).toBe(`step 0 of ${n}`);
    expect(requests).toEqual([`file://${file}`]);
    expect(errors).toEqual([]);
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without Chromium the browser tests fail with what to install (they never skip)', async () => {
  await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
    new Error("no Chromium at /nonexistent/chromium: the view's browser tests need it (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH)"),
  );
});
