import { join } from 'node:path';
import { readScenarioFile } from './files';
import { traceAndSummary } from './golden';

test('a module: scenario compiles the user firmware with esbuild and runs its exports', async () => {
  const loaded = readScenarioFile(join(__dirname, 'fixtures', 'hello-module.yaml'));
  expect(loaded.report).toBe('');
  const { summary } = await traceAndSummary(loaded.scenario!);
  expect(summary.messages.masterToRemote).toEqual({ delivered: 1, bytes: 19, dropped: 0 });
  expect(summary.ok).toBe(true);
});
