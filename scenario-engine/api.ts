// The public API for embedding the simulator in a program, the package entry `rpmsg-sim`
// (docs/api.md): read or parse a scenario (from a file, from YAML text or from an object),
// run it, get its summary (what `rpmsg-sim run --json` prints), list the platforms, write
// traces. It wraps the scenario engine (files.ts, load.ts, run.ts) and the CLI's way of
// running one scenario (bin/commands/run.ts runWithOutputs), without the CLI's printing.
// Firmware modules import `rpmsg-sim/firmware` (firmware/index.ts) instead.

import { describeRlReturn } from '../firmware/rpmsg-lite/constants';
import { DEFAULT_PLATFORM, PLATFORMS, describePlatform as describeOnePlatform } from '../platforms/registry';
import { ConfigError } from '../sim/kernel/errors';
import { createTraceWriter, formatOf } from '../sim/trace/writers';
import type { TraceWriter } from '../sim/trace/output';
import { compileModules, parseSettings, readScenarioFile, registerPublicModule } from './files';
import { formatErrors, loadScenario } from './load';
import { type RunSummary, runScenarioAsync } from './run';
import type { Scenario, ScenarioError } from './types';
import * as self from './api';

export type { Scenario, ScenarioError, SourceLocation } from './types';
export type { CoreSummary, ExpectationResult, RunSummary, StatSummary } from './run';
export { ConfigError, FirmwareError, SimError } from '../sim/kernel/errors';
export { ModuleError } from './files';
export { RunInterrupted } from './interruptible';
export { formatErrors };

// Replaced by tools/build.mjs with package.json's version.
declare const __RPMSG_SIM_VERSION__: string;
/** The package's version (package.json), or 0.0.0-dev when run from the source tree. */
export const version: string = typeof __RPMSG_SIM_VERSION__ === 'string' ? __RPMSG_SIM_VERSION__ : '0.0.0-dev';

/** What reading a scenario gives: the validated scenario, or every error found (located at file:line:column). */
export interface LoadResult {
  /** The scenario, when it has no errors. */
  scenario?: Scenario;
  /** Every problem, sorted by position; empty when the scenario is valid. */
  errors: ScenarioError[];
  /** The errors as the CLI prints them (file:line:column, the line, a caret), empty when none. */
  report: string;
}

export interface LoadOptions {
  /** `--set path=value` overrides, applied before validation (e.g. `master.params.count=10`). */
  set?: readonly string[];
}

export interface ParseOptions extends LoadOptions {
  /**
   * The name errors are located in, and the folder `module:` paths are relative to
   * (default: `scenario.yaml` in the working folder).
   */
  file?: string;
}

/** Reads and validates a scenario file (YAML). Never throws for a mistake of the file: see `errors`. */
export function readScenario(file: string, options: LoadOptions = {}): LoadResult {
  return readScenarioFile(file, options.set ?? []);
}

/**
 * Validates a scenario given as YAML text or as a plain object (as a YAML file would parse:
 * `{ name, platform, master: {app: 'ping-pong', params: {count: 3}}, … }`; an object is
 * checked as its JSON text, so errors are located in that text).
 */
export function parseScenario(source: string | object, options: ParseOptions = {}): LoadResult {
  const file = options.file ?? 'scenario.yaml';
  const text = typeof source === 'string' ? source : JSON.stringify(source, null, 2);
  if (text === undefined) throw new TypeError('parseScenario: expected YAML text or a plain object');
  const { scenario, errors } = loadScenario(file, text, parseSettings(options.set ?? []));
  return { ...(scenario !== undefined && { scenario }), errors, report: formatErrors(errors) };
}

/** A scenario with errors, thrown by `runFile`: `errors` are located, `message` is the report. */
export class ScenarioErrors extends ConfigError {
  override name = 'ScenarioErrors';
  constructor(readonly errors: ScenarioError[]) {
    super(formatErrors(errors).trimEnd());
  }
}

export interface RunOptions {
  /**
   * Trace files to write, the format by extension: `.jsonl` (canonical), `.vcd` (waveform),
   * `.json` (Chrome / Perfetto), `.txt`, or `-` (text on standard output). Each is written
   * whole when the run ends (through a temporary file), or not at all when it fails.
   */
  trace?: string | readonly string[];
  /**
   * Wall-clock seconds firmware may run without returning to the simulation (an endless loop
   * in a module), and a module's top level as it loads; 0: no limit. Default 10.
   */
  watchdogWallSeconds?: number;
}

/**
 * Runs a valid scenario: compiles its `module:` firmware, runs it to its stop condition and
 * returns the summary, the object `rpmsg-sim run --json` prints (`ok` is false when an
 * expectation failed). Throws for what stops a run: a module that does not compile or load
 * (ModuleError), a trace that cannot be written, an error of the simulation.
 */
export async function run(scenario: Scenario, options: RunOptions = {}): Promise<RunSummary> {
  const targets = [options.trace ?? []].flat();
  for (const target of targets) formatOf(target); // an unknown format is refused before the run
  const wallMs = options.watchdogWallSeconds === undefined ? undefined : Math.ceil(options.watchdogWallSeconds * 1000);
  const modules = await compileModules(scenario, wallMs === undefined ? {} : { loadWallMs: wallMs });
  const writers: TraceWriter[] = [];
  try {
    return await runScenarioAsync(scenario, {
      modules,
      ...(wallMs !== undefined && { watchdog: { wallMs } }),
      sinks: (header, memory) => {
        for (const target of targets) writers.push(createTraceWriter(target, header, { color: false, describeReturn: describeRlReturn, memory }));
        return writers;
      },
    });
  } catch (error) {
    for (const w of writers) w.abort();
    throw error;
  }
}

/** Reads a scenario file and runs it; a file with errors throws ScenarioErrors. */
export async function runFile(file: string, options: RunOptions & LoadOptions = {}): Promise<RunSummary> {
  const loaded = readScenario(file, options);
  if (loaded.scenario === undefined) throw new ScenarioErrors(loaded.errors);
  return run(loaded.scenario, options);
}

/** A platform as `rpmsg-sim platforms` lists it. */
export interface PlatformInfo {
  /** The name scenarios give in `platform:`. */
  name: string;
  /** The SoC and board. */
  title: string;
  /** Whether a scenario without `platform:` runs on it. */
  isDefault: boolean;
}

/** The platforms, in the order `rpmsg-sim platforms` lists them. */
export function listPlatforms(): PlatformInfo[] {
  return Object.entries(PLATFORMS).map(([name, p]) => ({ name, title: p.hardware.title, isDefault: name === DEFAULT_PLATFORM }));
}

/** What `rpmsg-sim platforms NAME` prints: every value of the platform with its source. Throws a ConfigError for an unknown name. */
export function describePlatform(name: string): string {
  return describeOnePlatform(name);
}

// A firmware module that imports 'rpmsg-sim' gets this copy (files.ts compileModules).
registerPublicModule('rpmsg-sim', self);
