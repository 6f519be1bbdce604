// Every scenario of the library runs, meets its expectations, and reproduces its golden trace
// and summary byte for byte (the same check as `rpmsg-sim check scenarios/*.yaml`); so does
// every lesson of docs/teaching.md (scenarios/lessons/*.yaml, goldens in lessons/golden/).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readScenarioFile } from '../scenario-engine/files';
import { goldenDifferences, traceAndSummary } from '../scenario-engine/golden';

const yamlIn = (dir: string) =>
  readdirSync(join(__dirname, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
const files = yamlIn('.');
// Every lessons/*.yaml, whatever its name: a lesson added later is covered without a change here.
const lessons = yamlIn('lessons');

test('the library has the scenarios issue 5 asks for', () => {
  expect(files).toEqual([
    'dcache-coherent.yaml',
    'flood-no-mem.yaml',
    'gpio-pingpong.yaml',
    'late-remote.yaml',
    'master-init.yaml',
    'multi-endpoint.yaml',
    'name-service.yaml',
    'oversize-send.yaml',
    'ping-pong-imx8mm.yaml',
    'ping-pong-lpc54114.yaml',
    'ping-pong-lpc55s69.yaml',
    'ping-pong-zephyr.yaml',
    'ping-pong.yaml',
    'rtos-lpc54114.yaml',
    'rtos-queue.yaml',
    'stale-dcache.yaml',
    'str-echo.yaml',
    'zephyr-queue.yaml',
    'zero-copy-hold.yaml',
  ]);
});

test('the lessons of docs/teaching.md are there', () => {
  expect(lessons).toEqual([
    'late-remote.yaml',
    'one-message.yaml',
    'out-of-buffers.yaml',
    'release-race-masked.yaml',
    'release-race.yaml',
    'two-endpoints.yaml',
    'zero-copy.yaml',
  ]);
});

describe.each([...files, ...lessons.map((f) => `lessons/${f}`)])('%s', (file) => {
  test('meets its expectations and matches its golden trace and summary', async () => {
    // Relative to the repository root, as `rpmsg-sim check scenarios/*.yaml` names it.
    const loaded = readScenarioFile(join('scenarios', file));
    expect(loaded.report).toBe('');
    const scenario = loaded.scenario!;
    const { trace, summary } = await traceAndSummary(scenario);
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(goldenDifferences(scenario, trace, summary)).toEqual([]);
  });
});
