// Bundles the CLI (bin/cli.ts -> dist/rpmsg-sim.mjs) and, when it exists, the benchmark
// (bench/main.ts -> dist/bench.mjs) with esbuild. The browser script of `rpmsg-sim view`'s
// pages (teach/view/page.ts) is bundled first and goes into the CLI as a string. Every dependency is bundled, so dist/
// runs with Node alone. Outputs are written to a temporary file and renamed into place,
// so a reader never sees a half-written bundle (bin/rpmsg-sim may build lazily while
// another process is starting).
//
// The package's public API (package.json "exports", docs/api.md) is bundled too, in one
// build with code splitting: dist/index.mjs (`rpmsg-sim`) and dist/firmware.mjs
// (`rpmsg-sim/firmware`) share their code through dist/chunks/, so a program that imports
// both gets one copy of the simulator (one RpmsgLite class). With --types, the type
// declarations of both are written to dist/types by the TypeScript compiler
// (tsconfig.types.json); npm pack runs that (package.json "prepack").
//
// Usage: node tools/build.mjs [--types]

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The browser script of `rpmsg-sim view`'s pages, bundled first and handed to the CLI as a string.
const { buildPageScript } = createRequire(import.meta.url)('../teach/view/page-bundle.cjs');

const entries = [
  { in: 'bin/cli.ts', out: 'dist/rpmsg-sim.mjs' },
  // the worker threads of `rpmsg-sim sweep`, loaded from beside the CLI (bin/commands/sweep.ts)
  { in: 'bin/sweep-worker.ts', out: 'dist/sweep-worker.mjs' },
  { in: 'bench/main.ts', out: 'dist/bench.mjs', optional: true },
];

// The public API: each `in` becomes `dist/<out>.mjs`; shared code goes to dist/chunks/.
const libraryEntries = [
  { in: 'scenario-engine/api.ts', out: 'index' },
  { in: 'firmware/index.ts', out: 'firmware' },
];

// Bundled CommonJS dependencies may call require(); ESM output has none, so give it one.
const requireShim =
  "import { createRequire as __rpmsgSimCreateRequire } from 'node:module';\n" +
  'const require = __rpmsgSimCreateRequire(import.meta.url);';

/** esbuild options every bundle shares. */
function common() {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    define: { __RPMSG_SIM_VERSION__: JSON.stringify(pkg.version), __RPMSG_VIEW_PAGE_JS__: JSON.stringify(viewPage) },
    banner: { js: requireShim },
    // Compiles users' firmware modules at run time: the package's one dependency (package.json), not bundled.
    external: ['esbuild'],
    logLevel: 'warning',
    write: false,
  };
}

/** Writes each output file through a temporary, renamed into place. */
function writeOutputs(result) {
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return result.outputFiles.map((f) => relative(root, f.path));
}

async function bundle(entry) {
  return writeOutputs(await build({ ...common(), entryPoints: [entry.in], outfile: entry.out }));
}

async function bundleLibrary() {
  const result = await build({
    ...common(),
    entryPoints: libraryEntries,
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  });
  const written = writeOutputs(result);
  // Then chunks of an earlier build (their names carry a hash of their contents) are removed.
  const chunks = join(root, 'dist', 'chunks');
  const fresh = new Set(result.outputFiles.map((f) => f.path));
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    if (/\.mjs(\.map)?$/.test(name) && !fresh.has(join(chunks, name))) rmSync(join(chunks, name), { force: true });
  }
  return written;
}

/** The declarations of the public API, into dist/types (written afresh: none of an earlier build stays). */
function declarations() {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const out = join(root, 'dist', 'types');
  const tmp = `${out}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    // (tsc prints its errors, file(line,col), itself)
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json'), '--outDir', tmp], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const wanted = entries.filter((e) => !e.optional || existsSync(join(root, e.in)));
let viewPage = '';
try {
  viewPage = buildPageScript(root);
  await Promise.all([...wanted.map(bundle), bundleLibrary()]);
  if (process.argv.includes('--types')) declarations();
} catch {
  // esbuild has already printed its messages (file:line:column) through logLevel.
  process.exitCode = 1;
}
