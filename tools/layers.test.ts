// The layers of the tree (docs/design.md): every import of a module runs to its own layer or
// a lower one. Test files may reach any layer (nothing imports them); test helpers and
// fixtures are modules like any other and follow the rule.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..');

/** Layers from the bottom; a folder's rank is that of the longest prefix listed. */
const LAYERS: readonly (readonly string[])[] = [
  ['sim/kernel', 'sim/text'],
  ['sim/trace'],
  ['sim/hw'],
  ['firmware'],
  ['platforms'],
  ['scenario-engine'],
  ['bin', 'bench', 'tools', 'scenarios'],
];

function rankOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((prefixes, rank) => {
    for (const p of prefixes) {
      if ((file === p || file.startsWith(`${p}/`)) && p.length > bestLength) {
        best = rank;
        bestLength = p.length;
      }
    }
  });
  return best;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(relative(ROOT, path).split('\\').join('/'));
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => relative(ROOT, resolve(dirname(join(ROOT, file)), s)).split('\\').join('/'));
}

const modules = sourceFiles(ROOT).filter((f) => !f.endsWith('.test.ts'));

test('every source file belongs to a layer', () => {
  expect(modules.filter((f) => rankOf(f) < 0)).toEqual([]);
});

test('imports run only downward (test helpers included)', () => {
  const upward: string[] = [];
  for (const file of modules) {
    for (const target of importsOf(file)) {
      if (rankOf(target) > rankOf(file)) upward.push(`${file} -> ${target}`);
    }
  }
  expect(upward).toEqual([]);
});

test('the check sees an upward import', () => {
  expect(rankOf('sim/hw/core.ts')).toBeLessThan(rankOf('firmware/program.ts'));
  expect(rankOf('firmware/program.ts')).toBeLessThan(rankOf('platforms/system.ts'));
  expect(rankOf('platforms/system.ts')).toBeLessThan(rankOf('scenario-engine/run.ts'));
  expect(importsOf('platforms/system.ts')).toContain('firmware/program');
});
