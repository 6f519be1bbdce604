// Reading input files for the CLI: a scenario file's text (only from a regular file of at
// most MAX_SCENARIO_BYTES), `--set path=value` arguments split for the located tree (which
// applies them before validation, so a set value goes through the same unit and error
// checks as one written in the file), and user firmware modules compiled with esbuild.

import { RunInterrupted, interruptibly, interruption } from './interruptible';
import { type Stats, closeSync, constants, fstatSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { type Program, ROLES } from '../firmware/program';
import * as firmwareApi from '../firmware/index';
import { ConfigError } from '../sim/kernel';
import { formatErrors, loadScenario } from './load';
import type { Firmware, Role, Scenario, ScenarioError } from './types';
import type { SettingSource } from './yaml-tree';

export interface LoadedFile {
  scenario?: Scenario;
  errors: ScenarioError[];
  /** Errors as text (file:line:column, caret lines), empty when none. */
  report: string;
}

/**
 * A scenario file larger than this is refused before it is read: 1 MiB, about 570 times the
 * largest shipped scenario (scenarios/lessons/two-endpoints.yaml, 1,843 bytes). An
 * assumption: no hand-written or generated scenario comes near it.
 */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** What kind of thing is at a path, when it is not a regular file. */
function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'it is a directory, not a file';
  if (stats.isCharacterDevice()) return 'it is a character device, not a regular file';
  if (stats.isBlockDevice()) return 'it is a block device, not a regular file';
  if (stats.isFIFO()) return 'it is a FIFO (named pipe), not a regular file';
  if (stats.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  return (error as Error).message;
}

/** An input file that cannot be read; the message names the file and why. */
export class InputFileError extends ConfigError {
  override name = 'InputFileError';
}

/** An input file that is too large: its first `maxBytes` + 1 bytes (where the limit is passed), and its size. */
export class InputTooLargeError extends InputFileError {
  override name = 'InputTooLargeError';
  constructor(
    message: string,
    /** The file's first bytes, one past the limit. */
    readonly head: Buffer,
    /** Its size (or at least this, when `atLeast`: a file that grew as it was read, a /proc file). */
    readonly size: number,
    readonly atLeast: boolean,
    readonly maxBytes: number,
  ) {
    super(message);
  }
}

/**
 * Reads an input file's bytes, refusing before it reads anything what is not a regular file
 * (a device such as /dev/zero, a FIFO, a directory), and reading no more than `maxBytes` + 1
 * of one that is larger than `maxBytes`. Throws InputFileError "FILE: cannot read the WHAT:
 * why" (InputTooLargeError, with the bytes read, for a file that is too large).
 */
export function readInputBytes(file: string, what: string, maxBytes: number): Buffer {
  const name = file === '' ? '""' : file;
  const fail = (why: string): never => {
    throw new InputFileError(`${name}: cannot read the ${what}: ${why}`);
  };
  if (file === '') fail('the file name is empty');
  let fd: number | undefined;
  try {
    const before = statSync(file);
    const kind = notRegular(before);
    if (kind !== undefined) fail(kind);
    // Non-blocking: a FIFO swapped in after the stat must not block the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const kindNow = notRegular(fstatSync(fd));
    if (kindNow !== undefined) fail(kindNow);
    // Read to the end (the size may be stale, or 0 as for /proc files), stopping one byte
    // past the limit.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(before.size - length, 0) + 65536, maxBytes + 1 - length));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) {
        // The stat's size, or (a file that grew, a /proc file) at least what was read.
        const grew = length > before.size;
        const size = grew ? length : before.size;
        throw new InputTooLargeError(
          `${name}: cannot read the ${what}: it has ${size.toLocaleString('en-US')} bytes${grew ? ' or more' : ''}; a ${what} may have at most ${maxBytes.toLocaleString('en-US')} bytes`,
          Buffer.concat(chunks, length),
          size,
          grew,
          maxBytes,
        );
      }
    }
    // One chunk (the usual case: the stat's size was right) is returned as it is, not copied.
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    return fail(errnoText(error));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** readInputBytes as UTF-8 text. */
export function readInputText(file: string, what: string, maxBytes: number): string {
  return readInputBytes(file, what, maxBytes).toString('utf8');
}

/** The sections whose own keys are dotted paths: `overrides` and each role's `costs`. */
const DOTTED_SECTION = new RegExp(`^(overrides|(?:${ROLES.join('|')})\\.costs)\\.(.+)$`);

/**
 * Splits `--set path=value` arguments for the tree (yaml-tree.ts grafts each value, parsed
 * as YAML of its own, at its path): dotted keys (`master.params.count=10`,
 * `rpmsg.buffer-count=4`, `stop.time=2ms`); under `overrides.` and `<role>.costs.` the rest
 * of the path is one key (a platform path such as `overrides.clocks.cm4=200MHz`, a cost path
 * such as `master.costs.rl.sendMaster=180`); numeric keys index lists. A malformed argument
 * becomes a problem located in it.
 */
export function parseSettings(settings: readonly string[]): SettingSource[] {
  return settings.map((argument): SettingSource => {
    const eq = argument.indexOf('=');
    if (eq < 0) return { argument, problem: { at: argument.length, message: 'expected path=value', note: 'e.g. --set stop.time=2ms' } };
    const path = argument.slice(0, eq);
    const dotted = DOTTED_SECTION.exec(path);
    const names = dotted === null ? path.split('.') : [...dotted[1]!.split('.'), dotted[2]!];
    const keys: { key: string; at: number }[] = [];
    let at = 0;
    for (const key of names) {
      if (key.trim() === '') {
        const message = path === '' ? 'expected a path before "="' : `empty key in the path "${path}"`;
        return { argument, problem: { at, message, note: 'e.g. --set stop.time=2ms, --set master.params.count=10' } };
      }
      keys.push({ key, at });
      at += key.length + 1;
    }
    return { argument, keys, valueAt: eq + 1 };
  });
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence; undefined when all are. */
export function firstNonUtf8(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return undefined;
}

/** At most this many errors of one file are printed (all are in LoadedFile.errors): a generated file can have thousands. */
export const MAX_REPORTED_ERRORS = 100;

/** The errors as text, the first MAX_REPORTED_ERRORS of them, then how many more there are. */
function errorReport(file: string, errors: readonly ScenarioError[]): string {
  const more = errors.length - MAX_REPORTED_ERRORS;
  const shown = formatErrors(more > 0 ? errors.slice(0, MAX_REPORTED_ERRORS) : errors);
  return more > 0 ? `${shown}${file}: ${more.toLocaleString('en-US')} more error${more === 1 ? '' : 's'} not shown (${errors.length.toLocaleString('en-US')} in all)\n` : shown;
}

/** Reads and validates one scenario file with --set arguments applied (a file that cannot be read is an error of its own). */
export function readScenarioFile(file: string, settings: readonly string[] = []): LoadedFile {
  let text: string;
  try {
    const bytes = readInputBytes(file, 'scenario file', MAX_SCENARIO_BYTES);
    text = bytes.toString('utf8');
    const bad = firstNonUtf8(bytes);
    if (bad !== undefined) {
      // Located in the text as decoded (each bad byte one U+FFFD), the line shown as it decodes.
      const before = bytes.subarray(0, bad).toString('utf8').split(/\r\n|\r|\n/);
      const line = before.length;
      const lineText = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
      const byte = bytes[bad]!.toString(16).padStart(2, '0');
      const error: ScenarioError = { file, line, column: before[line - 1]!.length + 1, message: `the file is not UTF-8 text: byte 0x${byte} at offset ${bad}`, path: [], note: 'a scenario file is YAML text in UTF-8', lineText };
      return { errors: [error], report: formatErrors([error]) };
    }
  } catch (error) {
    if (error instanceof InputTooLargeError) {
      // Located where the limit is passed: the first byte past it.
      const head = error.head.toString('utf8');
      const lines = error.head.subarray(0, error.maxBytes).toString('utf8').split(/\r\n|\r|\n/);
      const e: ScenarioError = {
        file,
        line: lines.length,
        column: lines[lines.length - 1]!.length + 1,
        message: `the file passes the limit of ${error.maxBytes.toLocaleString('en-US')} bytes for a scenario file here (it has ${error.size.toLocaleString('en-US')} bytes${error.atLeast ? ' or more' : ''})`,
        path: [],
        note: 'a scenario is a few kilobytes of YAML (the largest shipped has 1,843 bytes): split the file, or generate fewer steps',
        lineText: head.split(/\r\n|\r|\n/)[lines.length - 1] ?? '',
      };
      return { errors: [e], report: formatErrors([e]) };
    }
    if (!(error instanceof InputFileError)) throw error;
    const message = error.message.slice(error.message.indexOf(': ') + 2);
    return { errors: [{ file, line: 1, column: 1, message, path: [], lineText: '' }], report: `${error.message}\n` };
  }
  const { scenario, errors } = loadScenario(file, text, parseSettings(settings));
  return { ...(scenario !== undefined && { scenario }), errors, report: errorReport(file, errors) };
}

/**
 * How long a module's top level may run as it is loaded, in ms of wall time: the run's
 * watchdog default (run.ts WATCHDOG_DEFAULTS.wallMs, an assumption: 10 s).
 */
export const MODULE_LOAD_WALL_MS = 10_000;

/**
 * The package's public modules as this copy of the simulator has them: `rpmsg-sim/firmware`
 * (firmware/index.ts) always, `rpmsg-sim` (api.ts) once it is loaded (it registers itself: a
 * static import here would make a cycle through run.ts).
 */
const publicModules: Record<string, object> = { 'rpmsg-sim/firmware': firmwareApi };

/**
 * Every copy of the simulator loaded in this process (the CLI bundle, the installed package,
 * the source tree under jest) keeps its public modules here under its own index, on a global
 * symbol: a compiled module is loaded with require and sees nothing of ours but the globals.
 */
const PUBLIC_MODULES_KEY = Symbol.for('rpmsg-sim.public-modules');
const copies = ((globalThis as Record<symbol, unknown>)[PUBLIC_MODULES_KEY] ??= []) as Record<string, object>[];
const copyIndex = copies.push(publicModules) - 1;

/** Makes `api` what a firmware module's `import … from '<name>'` gets (api.ts calls it for 'rpmsg-sim'). */
export function registerPublicModule(name: 'rpmsg-sim', api: object): void {
  publicModules[name] = api;
}

/**
 * The esbuild plugin that binds a module's imports of `rpmsg-sim` and `rpmsg-sim/firmware` to
 * this running simulator instead of bundling a second copy of the library into the module
 * (whose RpmsgLite would fail the simulator's instanceof checks and share none of its state):
 * each becomes a small ES module that re-exports, by name, the objects this copy registered,
 * so a name the API does not have is a located build error. Other imports bundle as usual.
 */
const publicModulesPlugin: import('esbuild').Plugin = {
  name: 'rpmsg-sim-public-modules',
  setup(build) {
    build.onResolve({ filter: /^rpmsg-sim(\/firmware)?$/ }, (args) => ({ path: args.path, namespace: 'rpmsg-sim' }));
    build.onLoad({ filter: /.*/, namespace: 'rpmsg-sim' }, (args) => {
      const api = publicModules[args.path];
      if (api === undefined) {
        return { errors: [{ text: `"${args.path}" is the API for programs that embed the simulator, not for firmware: a firmware module imports from "rpmsg-sim/firmware"` }] };
      }
      const names = Object.keys(api).filter((n) => n !== 'default' && n !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(n));
      const source = `const api = globalThis[Symbol.for('rpmsg-sim.public-modules')][${copyIndex}][${JSON.stringify(args.path)}];\nexport const { ${names.join(', ')} } = api;\n`;
      return { contents: source, loader: 'js' };
    });
  },
};

/** Compiles the scenario's `module:` firmware with esbuild and imports its programs (`loadWallMs`: how long a top level may run; 0: no limit). */
export async function compileModules(scenario: Scenario, options: { loadWallMs?: number } = {}): Promise<Partial<Record<Role, Program>>> {
  const wallMs = options.loadWallMs ?? MODULE_LOAD_WALL_MS;
  const out: Partial<Record<Role, Program>> = {};
  for (const role of ROLES) {
    const fw = scenario[role].firmware;
    if (fw.kind !== 'module') continue;
    // require, not import(): the CLI bundle provides require, and jest cannot import().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    // Made before the build: the source map's paths are relative to the bundle's own place.
    const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-module-'));
    let module: Record<string, unknown>;
    try {
      // CommonJS, loaded with require: works from the bundled CLI and under jest alike.
      const file = join(dir, `${role}.cjs`);
      let result: import('esbuild').BuildResult<{ write: false }>;
      try {
        result = await esbuild.build({
          entryPoints: [fw.path],
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node20',
          write: false,
          logLevel: 'silent',
          // Stack traces then name the module's own files and lines (bin/rpmsg-sim enables source
          // maps); the map's paths are relative to `outfile`, where the bundle is written.
          outfile: file,
          sourcemap: 'inline',
          sourcesContent: false,
          plugins: [publicModulesPlugin],
        });
      } catch (error) {
        const messages = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] } | undefined)?.errors;
        if (messages !== undefined) {
          throw new ModuleError(messages.map((m) => `${where(fw, 'module')}${m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text}`).join('\n'));
        }
        throw error;
      }
      writeFileSync(file, result.outputFiles[0]!.contents);
      try {
        // Its top level runs as it is loaded: an endless loop there is stopped as the
        // watchdog stops one in a program (and Ctrl-C too).
        const before = builtInPrototypes();
        try {
          module = interruptibly(() => createRequire(file)(file) as Record<string, unknown>, wallMs);
        } finally {
          const changed = restoreBuiltInPrototypes(before);
          if (changed.length > 0) {
            // eslint-disable-next-line no-unsafe-finally
            throw new ModuleError(
              `${where(fw, 'module')}${shownPath(fw.path)}: the module changes ${changed.join(', ')} as it is loaded: firmware modules must leave JavaScript's built-in prototypes alone (the change is undone)`,
            );
          }
        }
      } catch (thrown) {
        if (thrown instanceof ModuleError) throw thrown;
        if (interruption(thrown) === 'sigint') throw new RunInterrupted('SIGINT');
        if (interruption(thrown) === 'timeout') {
          throw new ModuleError(`${where(fw, 'module')}${shownPath(fw.path)}: the module did not finish loading within ${wallMs / 1000} s of wall time (an endless loop at its top level?)`);
        }
        // The module's own code failed as it was loaded: the user's, whatever it threw.
        throw new ModuleError(`${where(fw, 'module')}${shownPath(fw.path)}: the module throws when it is loaded: ${describeThrown(thrown)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const program = module[fw.export];
    if (typeof program === 'function' && /^class\b/.test(Function.prototype.toString.call(program))) {
      throw new ModuleError(`${where(fw, 'export')}${shownPath(fw.path)}: "${fw.export}" is a class, not the ${role}'s program (write it as a generator function: export function* ${fw.export}(ctx) { ... })`);
    }
    if (typeof program !== 'function') {
      const got = fw.export in module ? `"${fw.export}" is ${describeThrown(program)}` : `it exports ${exportList(module)}`;
      throw new ModuleError(`${where(fw, 'export')}${shownPath(fw.path)}: exports no function "${fw.export}" (the ${role}'s program); ${got}`);
    }
    out[role] = generatorChecked(program as Program, `${where(fw, 'export')}${shownPath(fw.path)}: ${fw.export}(ctx), the ${role}'s program,`);
  }
  return out;
}

/** The prototypes a module must not change (the simulator and esbuild rely on them). */
const BUILT_INS: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
];

/** Every own property of the built-in prototypes, as its descriptor. */
function builtInPrototypes(): Map<object, Map<PropertyKey, PropertyDescriptor>> {
  return new Map(BUILT_INS.map(([, proto]) => [proto, new Map(Reflect.ownKeys(proto).map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)!]))]));
}

/** Puts back what a module added to, changed in or removed from the built-in prototypes; returns what it touched (`Object.prototype.x`). */
function restoreBuiltInPrototypes(before: Map<object, Map<PropertyKey, PropertyDescriptor>>): string[] {
  const touched: string[] = [];
  for (const [name, proto] of BUILT_INS) {
    const was = before.get(proto)!;
    for (const key of Reflect.ownKeys(proto)) {
      const old = was.get(key);
      const now = Object.getOwnPropertyDescriptor(proto, key)!;
      if (old !== undefined && old.value === now.value && old.get === now.get && old.set === now.set) continue;
      touched.push(`${name}.${String(key)}`);
      if (old === undefined) Reflect.deleteProperty(proto, key);
      else Reflect.defineProperty(proto, key, old);
    }
    for (const [key, old] of was) {
      if (Object.getOwnPropertyDescriptor(proto, key) === undefined) {
        touched.push(`${name}.${String(key)}`);
        Reflect.defineProperty(proto, key, old);
      }
    }
  }
  return touched;
}

/** `file:line:column: ` of the scenario's `module:` or `export:` value, or nothing for a scenario made in code. */
function where(fw: Extract<Firmware, { kind: 'module' }>, key: 'module' | 'export'): string {
  const at = fw.at?.[key];
  return at === undefined ? '' : `${at.file}:${at.line}:${at.column}: `;
}

/** A module's path as messages show it: relative to the working folder when it lies inside it (no host path in the output), else as it is. */
function shownPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** The program, with a check of what it returns when started: a generator (a `function*`'s result), else a ModuleError. */
function generatorChecked(program: Program, what: string): Program {
  return (ctx) => {
    const body = program(ctx) as unknown;
    if (typeof body !== 'object' || body === null || typeof (body as { next?: unknown }).next !== 'function') {
      throw new ModuleError(`${what} returned ${describeThrown(body)}, not a generator (write it as a generator function: export function* name(ctx) { ... })`);
    }
    return body as ReturnType<Program>;
  };
}

/** What a module threw or exported, for a message: an Error by its name and message, other values as JSON-like text. */
function describeThrown(value: unknown): string {
  if (value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string')) {
    return `${(value as Error).name}: ${(value as Error).message}`;
  }
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A module's exports as a message lists them. */
function exportList(module: Record<string, unknown>): string {
  const names = Object.keys(module).filter((k) => k !== '__esModule');
  return names.length === 0 ? 'nothing' : names.map((n) => `"${n}"`).join(', ');
}

/** A user's firmware module that does not compile or lacks its export. */
export class ModuleError extends ConfigError {
  override name = 'ModuleError';
}
