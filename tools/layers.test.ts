// The layers of the tree (docs/design.md): every import of a module runs to its own layer or
// a lower one. Test files may reach any layer (nothing imports them); test helpers and
// fixtures are modules like any other and follow the rule.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Layers from the bottom; a file's rank is that of the longest prefix listed. Inside
 * firmware/ the library and the RTOS know nothing of each other's users: the cost tables
 * under everything, the RTOS under rpmsg-lite (FreeRTOS knows no rpmsg), the environments
 * and the program contract over both, the apps, the steps interpreter and the public
 * firmware API (firmware/index.ts, `rpmsg-sim/firmware`) on top.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['sim/kernel', 'sim/text', 'sim/stats'],
  ['sim/trace'],
  ['sim/hw'],
  ['firmware/costs'],
  ['firmware/rtos'],
  ['firmware/rpmsg-lite'],
  ['firmware/env', 'firmware/program.ts'],
  ['firmware/apps', 'firmware/steps', 'firmware/index.ts'],
  ['platforms'],
  ['scenario-engine'],
  ['teach'],
  ['bin', 'bench', 'tools', 'scenarios', 'fuzz', 'examples'],
];

function rankOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((prefixes, rank) => {
    for (const p of prefixes) {
      const bare = p.replace(/\.ts$/, '');
      const matches = file === p || file === bare || file.startsWith(`${p}/`);
      if (matches && p.length > bestLength) {
        best = rank;
        bestLength = p.length;
      }
    }
  });
  return best;
}

/** Every `importer -> imported` pair whose imported file sits in a higher layer. */
function violations(imports: ReadonlyMap<string, readonly string[]>): string[] {
  const upward: string[] = [];
  for (const [file, targets] of imports) {
    for (const target of targets) if (rankOf(target) > rankOf(file)) upward.push(`${file} -> ${target}`);
  }
  return upward;
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

/** The package's own entries (package.json "exports"), as paths from the root. */
const PACKAGE_ENTRIES: Readonly<Record<string, string>> = { 'rpmsg-sim': 'scenario-engine/api.ts', 'rpmsg-sim/firmware': 'firmware/index.ts' };

/** Relative imports of a file and imports of the package's entries (static, `import type`, `require(…)` and `import(…)`), as paths from the root. */
function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const specs = [...text.matchAll(/(?:\bfrom|\bimport|\brequire\(|\bimport\()\s*['"](\.{1,2}\/[^'"]+|rpmsg-sim(?:\/firmware)?)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => PACKAGE_ENTRIES[s] ?? relative(ROOT, resolve(dirname(join(ROOT, file)), s)).split('\\').join('/'));
}

const modules = sourceFiles(ROOT).filter((f) => !f.endsWith('.test.ts'));

test('every source file belongs to a layer', () => {
  expect(modules.filter((f) => rankOf(f) < 0)).toEqual([]);
});

test('imports run only downward (test helpers included)', () => {
  expect(violations(new Map(modules.map((f) => [f, importsOf(f)])))).toEqual([]);
});

test('the check finds an upward import, of every form, and lets a downward one pass', () => {
  const text = [
    "import { a } from '../../platforms/system';",
    "import type { B } from '../rpmsg-lite/rpmsg-env';",
    "const c = require('../../scenario-engine/run');",
    "const d = await import('../program');",
    "import { Kernel } from '../../sim/kernel';",
    "import { run } from 'rpmsg-sim';",
    "import type { Firmware } from 'rpmsg-sim/firmware';",
  ].join('\n');
  const file = 'firmware/rtos/queue.ts';
  expect(violations(new Map([[file, importsOf(file, text)]]))).toEqual([
    'firmware/rtos/queue.ts -> platforms/system',
    'firmware/rtos/queue.ts -> firmware/rpmsg-lite/rpmsg-env',
    'firmware/rtos/queue.ts -> scenario-engine/run',
    'firmware/rtos/queue.ts -> firmware/program',
    'firmware/rtos/queue.ts -> scenario-engine/api.ts',
    'firmware/rtos/queue.ts -> firmware/index.ts',
  ]);
});
