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
  const reducer = new ViewReducer({ header: data.header, layout: data.layout, bursts: data.bursts });
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
  // the fold gets the values of the indices the bursts left, as the page does, from the run's data
  const golden = hasGolden ? goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize, goldenDir, data.bursts) : null;
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

test('dcache-coherent: an index a D-cache line written back carries shows its real value on the page and in the fold', async () => {
  const scenario = loadScenario('scenarios/dcache-coherent.yaml');
  const data = collectView(scenario);
  const golden = goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize, 'scenarios/golden', data.bursts);
  const r = golden.records;
  // m2r#0: the M7 (its shared memory cacheable) cleans the line of vring1's avail ring twice (records 280, 281);
  // the M4 then reads vring1.avail.idx -> 1 (record 296) with no write to it in between: 1 is what the line carried
  expect(r[278]).toMatchObject({ component: 'cm7', kind: 'rl-enqueue', dir: 'm2r', msg: 0 });
  const clean = { component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0060, size: 32 };
  expect(r[280]).toMatchObject(clean);
  expect(r[281]).toMatchObject(clean);
  expect(r[296]).toMatchObject({ component: 'cm4', kind: 'bus', op: 'read', address: 0x202c0072, size: 2, value: 1 });
  expect(r.slice(282, 296).some((x) => (x.kind === 'bus' || x.kind === 'burst') && x.op === 'write' && x.address <= 0x202c0072 && x.address + x.size > 0x202c0072)).toBe(false);
  // the line's other fields as memory holds them: vring1's desc[1] (buf[3], 512 B, VRING_DESC_F_WRITE, chain end), avail.flags, avail.ring[0..1], used_event
  expect(data.bursts[281]).toEqual({
    [0x202c0060]: 0x202c06a0,
    [0x202c0068]: 512,
    [0x202c006c]: 2,
    [0x202c006e]: 0x8000,
    [0x202c0070]: 1,
    [0x202c0072]: 1,
    [0x202c0074]: 0,
    [0x202c0076]: 0,
    [0x202c0078]: 0,
  });
  await open.load(renderHtml(data));
  for (const [k, idx] of [
    [279, '0'],
    [282, '1'],
    [296, '1'],
  ] as const) {
    await scrubTo(open.page, k);
    const shown = await shownOnPage(open.page);
    expect(shown).toEqual(shownFields(golden.model, golden.stateAt(k)));
    expect(shown['vring1.avail.idx']).toBe(idx);
  }
  // the trace alone does not know it: x until the M4's read
  const alone = goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize);
  expect([282, 297].map((k) => shownFields(alone.model, alone.stateAt(k))['vring1.avail.idx'])).toEqual(['x', '1']);
});

test('dcache-coherent: a descriptor the M7 wrote through its D-cache shows its addr and len from the line written back, on the page and in the fold', async () => {
  const scenario = loadScenario('scenarios/dcache-coherent.yaml');
  const data = collectView(scenario);
  const golden = goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize, 'scenarios/golden', data.bursts);
  // record 142: master init's line over vring1's desc[1] written back (build.test.ts checks its values); the M7 never writes desc[1] on the bus
  expect(golden.records[142]).toMatchObject({ t: 28_617_000, component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0060, size: 32 });
  await open.load(renderHtml(data));
  for (const [k, desc, place] of [
    [142, '0x0 0 B flags 0 next 32768', 'not laid out yet'],
    [143, '0x202c06a0 512 B flags 2 next 32768', 'buf[3] held by the master (filling a message)'],
    [282, '0x202c06a0 512 B flags 2 next 32768', 'buf[3] in the used ring: free, for the master to send with'],
  ] as const) {
    await scrubTo(open.page, k);
    const shown = await shownOnPage(open.page);
    expect(shown).toEqual(shownFields(golden.model, golden.stateAt(k)));
    expect([shown['vring1.desc[1]'], shown['vring1.desc[1].place']]).toEqual([desc, place]);
  }
  // the trace alone does not know it
  const alone = goldenTrace(scenario.name, scenario.rpmsg.bufferPayloadSize);
  expect(shownFields(alone.model, alone.stateAt(143))['vring1.desc[1]']).toBe('x x B flags x next x');
});

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
