// The view page of every shipped scenario (scenarios/*.yaml) in headless Chromium, each
// against its golden trace at the start, in the middle and at the end; and the page of a
// 10^5-message run, which embeds a bounded window and a summary of every message.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEFAULT_MAX_RECORDS, collectView, renderHtml } from './build';
import { layoutOf } from './layout';
import { ViewReducer, shownFields } from './state';
import { ROOT, type Viewer, goldenTrace, launchChromium, loadScenario, openViewer, scrubTo, shownOnPage, stepOf } from './test-support';

let browser: Browser;
let open: Viewer;

beforeAll(async () => {
  browser = await launchChromium();
  open = await openViewer(browser);
}, 30_000);

afterAll(async () => {
  await open?.close();
  await browser?.close();
});

afterEach(() => {
  expect(open.requests).toEqual([]);
  expect(open.errors).toEqual([]);
});

const shipped = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

test('there are shipped scenarios to view', () => {
  expect(shipped.length).toBeGreaterThanOrEqual(19);
});

test.each(shipped)('%s: the page shows the golden trace\'s state at the start, the middle and the end', async (file) => {
  const scenario = loadScenario(`scenarios/${file}`);
  const data = collectView(scenario);
  const golden = goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize);
  expect(data.total).toBe(golden.records.length);
  expect(data.records.length).toBe(Math.min(golden.records.length, DEFAULT_MAX_RECORDS));
  await open.load(renderHtml(data));
  const n = data.records.length;
  for (const k of [0, Math.floor(n / 2), n]) {
    await scrubTo(open.page, k);
    expect(await stepOf(open.page)).toBe(k);
    expect(await shownOnPage(open.page)).toEqual(shownFields(golden.model, golden.stateAt(k)));
  }
}, 20_000);

test('a 10^5-message run: the page embeds 20,000 records and a summary of every message, and replays its window', async () => {
  // 50,000 round trips: 50,000 messages m2r and 50,001 r2m (the remote's greeting first)
  const data = collectView(loadScenario('scenarios/ping-pong.yaml', ['master.params.count=50000', 'stop.time=2s']));
  expect(data.messages.m2r.latency.length + data.messages.r2m.latency.length).toBe(100_001);
  expect(data.records.length).toBe(DEFAULT_MAX_RECORDS);
  expect(data.total).toBeGreaterThan(4_000_000);
  const html = renderHtml(data);
  // measured: 4.07 MB, of which the message summary is 1.5 MB
  expect(html.length).toBeLessThan(6_000_000);
  await open.load(html);
  {
    const page = open.page;
    expect(await page.textContent('#window')).toMatch(new RegExp(`^records 0–20000 of ${data.total} embedded .*messages in the run: 50000 m2r, 50001 r2m;`));
    // what the page holds does not grow with the run: the same elements as a short run's page
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    expect(elements).toBeLessThan(1000);
    // the page's work is the window's, not the run's: nothing replayed to show the start,
    // each embedded record once to reach the end, at most 256 more for a step back
    const applied = async () => Number(await page.getAttribute('body', 'data-applied'));
    expect(await applied()).toBe(0);
    await page.keyboard.press('End');
    expect(await stepOf(page)).toBe(DEFAULT_MAX_RECORDS);
    expect(await applied()).toBe(DEFAULT_MAX_RECORDS);
    const reducer = new ViewReducer({ header: data.header, layout: layoutOf(data.header) });
    const s = structuredClone(data.start);
    data.records.forEach((r, i) => reducer.apply(s, r, data.first + i));
    expect(await shownOnPage(page)).toEqual(shownFields({ header: data.header, layout: data.layout }, s));
    await page.keyboard.press('Shift+ArrowLeft');
    const back = data.marks[data.marks.length - 1]!.step === DEFAULT_MAX_RECORDS ? data.marks[data.marks.length - 2]!.step : data.marks[data.marks.length - 1]!.step;
    expect(await stepOf(page)).toBe(back);
    expect(await applied()).toBe(DEFAULT_MAX_RECORDS + (back % 256));
  }
}, 60_000);
