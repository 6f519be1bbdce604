// Writes scenarios/schema.json from the declarations it is built from (scenario-engine/
// schema.ts): bundles that file with esbuild, runs it and writes its text. schema.test.ts
// fails while the committed file differs from what this writes.
//
// Usage: node tools/schema.mjs   (npm run schema)

import { build } from 'esbuild';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  absWorkingDir: root,
  entryPoints: ['scenario-engine/schema.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  logLevel: 'warning',
});
const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-schema-'));
try {
  const file = join(dir, 'schema.cjs');
  writeFileSync(file, result.outputFiles[0].contents);
  const { schemaText } = createRequire(file)(file);
  const out = join(root, 'scenarios', 'schema.json');
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, schemaText());
  renameSync(tmp, out);
  console.log('wrote scenarios/schema.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
