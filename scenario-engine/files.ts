// Reading scenario files for the CLI: the file's text, `--set path=value` applied to the
// YAML document before validation (so a set value goes through the same unit and error
// checks as one written in the file), and user firmware modules compiled with esbuild.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { isMap, isSeq, parseDocument } from 'yaml';
import { type Program, ROLES } from '../firmware/program';
import { ConfigError } from '../sim/kernel';
import { formatErrors, loadScenario } from './load';
import type { Role, Scenario, ScenarioError } from './types';

export interface LoadedFile {
  scenario?: Scenario;
  errors: ScenarioError[];
  /** Errors as text (file:line:column, caret lines), empty when none. */
  report: string;
}

/**
 * Applies `path=value` settings: dotted keys into the document (`master.params.count=10`,
 * `rpmsg.buffer-count=4`, `stop.time=2ms`); under `overrides.` and `<role>.costs.` the rest
 * of the path is one key (a platform path such as `overrides.clocks.cm4=200MHz`, a cost path
 * such as `master.costs.rl.sendMaster=180`); numeric segments index lists.
 */
export function applySettings(text: string, settings: readonly string[]): { text: string; problems: string[] } {
  if (settings.length === 0) return { text, problems: [] };
  const doc = parseDocument(text);
  const problems: string[] = [];
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq <= 0) {
      problems.push(`--set ${setting}: expected path=value, e.g. --set stop.time=2ms`);
      continue;
    }
    const path = setting.slice(0, eq);
    const raw = setting.slice(eq + 1);
    const parts = settingPath(path);
    const keys = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    // The value is parsed as YAML, so numbers, booleans and unit strings come out as in a file.
    const value = parseDocument(raw).toJS();
    try {
      doc.setIn(keys, doc.createNode(value));
    } catch (error) {
      problems.push(`--set ${setting}: ${(error as Error).message}`);
    }
  }
  if (!isMap(doc.contents) && !isSeq(doc.contents)) problems.push('the scenario file is not a YAML mapping');
  return { text: doc.toString(), problems };
}

/** The sections whose own keys are dotted paths: `overrides` and each role's `costs`. */
const DOTTED_SECTION = new RegExp(`^(overrides|(?:${ROLES.join('|')})\\.costs)\\.(.+)$`);

/** The keys of a --set path: dotted, but for the sections whose own keys are dotted paths. */
function settingPath(path: string): string[] {
  const dotted = DOTTED_SECTION.exec(path);
  return dotted === null ? path.split('.') : [...dotted[1]!.split('.'), dotted[2]!];
}

/** Reads and validates one scenario file (a missing file is an error of its own). */
export function readScenarioFile(file: string, settings: readonly string[] = []): LoadedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const message = `cannot read the scenario file: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
    return { errors: [{ file, line: 1, column: 1, message, path: [], lineText: '' }], report: `${file}: ${message}\n` };
  }
  const set = applySettings(text, settings);
  if (set.problems.length > 0) {
    return { errors: [], report: `${set.problems.map((p) => `${file}: ${p}`).join('\n')}\n` };
  }
  const { scenario, errors } = loadScenario(file, set.text);
  const note = settings.length > 0 && errors.length > 0 ? `(line numbers refer to the file with ${settings.map((s) => `--set ${s}`).join(' ')} applied)\n` : '';
  return { ...(scenario !== undefined && { scenario }), errors, report: errors.length > 0 ? note + formatErrors(errors) : '' };
}

/** Compiles the scenario's `module:` firmware with esbuild and imports its programs. */
export async function compileModules(scenario: Scenario): Promise<Partial<Record<Role, Program>>> {
  const out: Partial<Record<Role, Program>> = {};
  for (const role of ROLES) {
    const fw = scenario[role].firmware;
    if (fw.kind !== 'module') continue;
    // require, not import(): the CLI bundle provides require, and jest cannot import().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
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
      });
    } catch (error) {
      const messages = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] } | undefined)?.errors;
      if (messages !== undefined) {
        throw new ModuleError(messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text)).join('\n'));
      }
      throw error;
    }
    const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-module-'));
    let module: Record<string, unknown>;
    try {
      // CommonJS, loaded with require: works from the bundled CLI and under jest alike.
      const file = join(dir, `${role}.cjs`);
      writeFileSync(file, result.outputFiles[0]!.contents);
      try {
        module = createRequire(file)(file) as Record<string, unknown>;
      } catch (thrown) {
        // The module's own code failed as it was loaded: the user's, whatever it threw.
        throw new ModuleError(`${fw.path}: the module throws when it is loaded: ${describeThrown(thrown)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const program = module[fw.export];
    if (typeof program !== 'function') {
      const got = fw.export in module ? `"${fw.export}" is ${describeThrown(program)}` : `it exports ${exportList(module)}`;
      throw new ModuleError(`${fw.path}: exports no function "${fw.export}" (the ${role}'s program); ${got}`);
    }
    out[role] = generatorChecked(program as Program, `${fw.path}: ${fw.export}(ctx), the ${role}'s program,`);
  }
  return out;
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
