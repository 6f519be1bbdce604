// The view page of every shipped scenario (scenarios/*.yaml) in headless Chromium, each
// against its golden trace at the start, in the middle and at the end; and the page of a
// 10^5-message run, which embeds a bounded window and a summary of every message.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { compileModules } from '../../scenario-engine/files';
import { DEFAULT_MAX_RECORDS, collectView, renderHtml } from './build';
import type { ViewData } from './data';
import { ViewReducer, type ViewState, shownFields } from './state';
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

const yamlIn = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`);
// the scenarios and the lessons, each with its golden trace beside it in golden/
const shipped = [...yamlIn('scenarios'), ...(existsSync(join(ROOT, 'scenarios', 'lessons')) ? yamlIn('scenarios/lessons') : [])];

test('there are shipped scenarios to view', () => {
  expect(shipped.filter((f) => !f.startsWith('scenarios/lessons/')).length).toBeGreaterThanOrEqual(19);
});

/** The state after the window's first k records, by a fold in Node of the records the page embeds. */
function foldOf(data: ViewData, k: number): ViewState {
  const reducer = new ViewReducer({ header: data.header, layout: data.layout });
  const s = structuredClone(data.start);
  for (let i = 0; i < k; i++) reducer.apply(s, data.records[i]!, data.first + i);
  return s;
}

test.each(shipped)('%s: the page shows the golden trace\'s state at the start, the middle and the end', async (file) => {
  const scenario = loadScenario(file);
  // a scenario with `module:` firmware (a lesson's) has it compiled first, as the CLI does
  const data = collectView(scenario, { modules: await compileModules(scenario) });
  const goldenDir = `${dirname(file)}/golden`;
  // every scenario has its golden trace; a lesson without one yet is checked against its own records
  const hasGolden = !file.startsWith('scenarios/lessons/') || existsSync(join(ROOT, goldenDir, `${scenario.name}.jsonl`));
  const golden = hasGolden ? goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize, goldenDir) : null;
  if (golden !== null) {
    expect(data.total).toBe(golden.records.length);
    expect(data.records.length).toBe(Math.min(golden.records.length, DEFAULT_MAX_RECORDS));
  }
  await open.load(renderHtml(data));
  const n = data.records.length;
  for (const k of [0, Math.floor(n / 2), n]) {
    await scrubTo(open.page, k);
    expect(await stepOf(open.page)).toBe(k);
    const expected = golden === null ? shownFields(data, foldOf(data, k)) : shownFields(golden.model, golden.stateAt(k));
    expect(await shownOnPage(open.page)).toEqual(expected);
  }
}, 20_000);

test('16 buffers a direction: the rings have 16 descriptors, the page still shows the state of its records', async () => {
  const data = collectView(loadScenario('bench/flood-1m.yaml', ['rpmsg.buffer-count=16', 'rpmsg.buffer-payload-size=64B', 'master.params.count=50']));
  expect(data.layout.vrings.map((v) => v.num)).toEqual([16, 16]);
  expect(data.layout.bufferSize).toBe(80);
  await open.load(renderHtml(data));
  expect(await open.page.locator('[id^="vring1-desc"]').count()).toBe(16);
  for (const k of [0, 700, data.records.length]) {
    await scrubTo(open.page, k);
    expect(await shownOnPage(open.page)).toEqual(shownFields(data, foldOf(data, k)));
  }
});

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
    expect(await shownOnPage(page)).toEqual(shownFields(data, foldOf(data, DEFAULT_MAX_RECORDS)));
    await page.keyboard.press('Shift+ArrowLeft');
    const back = data.marks[data.marks.length - 1]!.step === DEFAULT_MAX_RECORDS ? data.marks[data.marks.length - 2]!.step : data.marks[data.marks.length - 1]!.step;
    expect(await stepOf(page)).toBe(back);
    expect(await applied()).toBe(DEFAULT_MAX_RECORDS + (back % 256));
  }
}, 60_000);
