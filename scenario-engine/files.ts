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
    const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-module-'));
    // CommonJS, loaded with require: works from the bundled CLI and under jest alike.
    const file = join(dir, `${role}.cjs`);
    try {
      const result = await esbuild.build({
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
      });
      writeFileSync(file, result.outputFiles[0]!.contents);
      const module = createRequire(file)(file) as Record<string, unknown>;
      const program = module[fw.export];
      if (typeof program !== 'function') {
        throw new ModuleError(`${fw.path}: exports no function "${fw.export}" (the ${role}'s program)`);
      }
      out[role] = program as Program;
    } catch (error) {
      if (error instanceof ModuleError) throw error;
      const messages = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors;
      if (messages !== undefined) {
        throw new ModuleError(messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text)).join('\n'));
      }
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

/** A user's firmware module that does not compile or lacks its export. */
export class ModuleError extends ConfigError {
  override name = 'ModuleError';
}
