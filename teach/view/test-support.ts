// What the browser tests of the view share: a headless Chromium (Debian's, driven by
// playwright-core), a page opened with every request intercepted, and the fields the page
// shows read back from its DOM.
//
// Chromium must be there: without it the tests fail (they never skip); .ci/run installs the
// Debian package. CHROMIUM_PATH names another binary.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { readScenarioFile } from '../../scenario-engine/files';
import type { Scenario } from '../../scenario-engine/types';
import { readJsonl } from '../../sim/trace/jsonl';
import type { TraceRecord } from '../../sim/trace/trace';
import type { TraceHeader } from '../../sim/trace/header';
import type { BurstValues } from '../fields';
import { layoutOf } from './layout';
import { ViewReducer, type ViewState } from './state';

export const ROOT = join(__dirname, '..', '..');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export async function launchChromium(path = CHROMIUM): Promise<Browser> {
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: the view's browser tests need it (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH)`);
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
  return chromium.launch({ executablePath: path, args: ['--no-sandbox'] });
}

/** Where pages are served: a host that cannot resolve, and every request is intercepted anyway. */
export const PAGE_ORIGIN = 'http://view.invalid';

export interface Viewer {
  page: Page;
  /** Every request other than the pages themselves (each was refused). */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Opens `html` (at a new address) and waits until the page has drawn its first state. */
  load(html: string): Promise<void>;
  close(): Promise<void>;
}

/** One browser context and page to open view pages in, with every request intercepted. */
export async function openViewer(browser: Browser): Promise<Viewer> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const pages = new Map<string, string>();
  const requests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    const html = pages.get(url);
    if (html !== undefined) await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    else {
      requests.push(url);
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    page,
    requests,
    errors,
    load: async (html) => {
      const url = `${PAGE_ORIGIN}/${pages.size}.html`;
      pages.set(url, html);
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
    },
    close: () => context.close(),
  };
}

/** Every [data-field] element's text, by key (an error if two elements of one key disagree). */
export async function shownOnPage(page: Page): Promise<Record<string, string>> {
  const pairs = await page.$$eval('[data-field]', (els) => els.map((e) => [e.getAttribute('data-field')!, e.textContent ?? ''] as const));
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) {
    if (k in out && out[k] !== v) throw new Error(`two elements show ${k}: "${out[k]}" and "${v}"`);
    out[k] = v;
  }
  return out;
}

/** The step the page is at ("step 12 of 2132"). */
export async function stepOf(page: Page): Promise<number> {
  return Number(await page.getAttribute('body', 'data-step'));
}

/** Moves the scrubber to step k, as dragging it does. */
export async function scrubTo(page: Page, k: number): Promise<void> {
  await page.$eval(
    '#scrub',
    (e, v) => {
      (e as HTMLInputElement).value = String(v);
      e.dispatchEvent(new Event('input', { bubbles: true }));
    },
    k,
  );
}

export function loadScenario(file: string, settings: string[] = []): Scenario {
  const loaded = readScenarioFile(join(ROOT, file), settings);
  if (loaded.scenario === undefined) throw new Error(loaded.report);
  return loaded.scenario;
}

/**
 * A golden trace (in `dir`), and the state after its first k records by a plain fold of the
 * reducer. `bursts`: the values of the vring indices its burst writes left (a trace file has
 * none: take them from the view data of a run of the same scenario, `collectView(…).bursts`).
 */
export function goldenTrace(
  name: string,
  bufferPayloadSize?: number,
  dir = 'scenarios/golden',
  bursts?: BurstValues,
): { header: TraceHeader; records: TraceRecord[]; lines: string[]; stateAt: (k: number) => ViewState; model: { header: TraceHeader; layout: ReturnType<typeof layoutOf>; bursts?: BurstValues } } {
  const text = readFileSync(join(ROOT, dir, `${name}.jsonl`), 'utf8');
  const { header, records } = readJsonl(text);
  const model = { header, layout: layoutOf(header, bufferPayloadSize), ...(bursts !== undefined && { bursts }) };
  return {
    header,
    records,
    lines: text.trimEnd().split('\n'),
    model,
    stateAt: (k) => {
      const reducer = new ViewReducer(model);
      const s = reducer.initial();
      for (let i = 0; i < k; i++) reducer.apply(s, records[i]!, i);
      return s;
    },
  };
}
