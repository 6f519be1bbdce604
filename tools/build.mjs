// Bundles the CLI (bin/cli.ts -> dist/rpmsg-sim.mjs) and, when it exists, the benchmark
// (bench/main.ts -> dist/bench.mjs) with esbuild. The browser script of `rpmsg-sim view`'s
// pages (teach/view/page.ts) is bundled first and goes into the CLI as a string. Every dependency is bundled, so dist/
// runs with Node alone. Outputs are written to a temporary file and renamed into place,
// so a reader never sees a half-written bundle (bin/rpmsg-sim may build lazily while
// another process is starting).
//
// Usage: node tools/build.mjs

import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The browser script of `rpmsg-sim view`'s pages, bundled first and handed to the CLI as a string.
const { buildPageScript } = createRequire(import.meta.url)('../teach/view/page-bundle.cjs');

const entries = [
  { in: 'bin/cli.ts', out: 'dist/rpmsg-sim.mjs' },
  { in: 'bench/main.ts', out: 'dist/bench.mjs', optional: true },
];

// Bundled CommonJS dependencies may call require(); ESM output has none, so give it one.
const requireShim =
  "import { createRequire as __rpmsgSimCreateRequire } from 'node:module';\n" +
  'const require = __rpmsgSimCreateRequire(import.meta.url);';

async function bundle(entry) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    define: { __RPMSG_SIM_VERSION__: JSON.stringify(pkg.version), __RPMSG_VIEW_PAGE_JS__: JSON.stringify(viewPage) },
    banner: { js: requireShim },
    // Compiles users' firmware modules at run time; installed with the project, not bundled.
    external: ['esbuild'],
    logLevel: 'warning',
    write: false,
  });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return result.outputFiles.map((f) => relative(root, f.path));
}

const wanted = entries.filter((e) => !e.optional || existsSync(join(root, e.in)));
let viewPage = '';
try {
  viewPage = buildPageScript(root);
  await Promise.all(wanted.map(bundle));
} catch {
  // esbuild has already printed its messages (file:line:column) through logLevel.
  process.exitCode = 1;
}
