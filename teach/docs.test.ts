// The excerpts in docs/explain.md are real: each ```text block is found, line for line and in
// order, in the output it shows (explain's golden, layout's text, shmem's decoding).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScenarioFile } from '../scenario-engine/files';
import { runScenario } from '../scenario-engine/run';
import { layoutText } from './layout';
import { decodeShmem } from './shmem';
import { layoutOfPlatform, layoutOfScenario } from './system-layout';

const root = join(__dirname, '..');
const doc = readFileSync(join(root, 'docs', 'explain.md'), 'utf8');
const blocks = [...doc.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\n$/, ''));

function contains(whole: string, excerpt: string): boolean {
  return whole.includes(`${excerpt}\n`);
}

test('docs/explain.md has three excerpts', () => {
  expect(blocks).toHaveLength(3);
});

test('the explain excerpt is in the golden narrative of one-message', () => {
  expect(contains(readFileSync(join(root, 'scenarios/lessons/golden/one-message.explain.txt'), 'utf8'), blocks[0]!)).toBe(true);
});

test('the layout excerpt is in the map of imxrt1170', () => {
  expect(contains(layoutText(layoutOfPlatform('imxrt1170').layout, 'imxrt1170'), blocks[1]!)).toBe(true);
});

test('the shmem excerpt is in the decoded image of one-message', () => {
  const scenario = readScenarioFile(join('scenarios', 'lessons', 'one-message.yaml')).scenario!;
  let image: Uint8Array | null = null;
  runScenario(scenario, { onMark: (label, _t, bytes) => { if (label === 'end') image = bytes; } });
  expect(contains(decodeShmem(layoutOfScenario(scenario).layout, image!, 'x'), blocks[2]!)).toBe(true);
});
