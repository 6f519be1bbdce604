// Every scenario of the library runs, meets its expectations, and reproduces its golden trace
// and summary byte for byte (the same check as `rpmsg-sim check scenarios/*.yaml`).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readScenarioFile } from '../scenario-engine/files';
import { goldenDifferences, traceAndSummary } from '../scenario-engine/golden';

const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

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

describe.each(files)('%s', (file) => {
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
