// The grid of a sweep (docs/sweep.md): its axes, each a list of values for one or two
// scenario paths, and its points, the cartesian product of the axes in a fixed order. A
// point is run as the scenario file with `--set path=value` for each axis (files.ts
// readScenarioFile), so an axis changes exactly what `run --set` would.
//
// The axes, in the order of the product (the first varies slowest, the last fastest):
//   platform  `platform`
//   env       `master.environment` and `remote.environment` (both cores)
//   buffers   `rpmsg.buffer-count` (buffers per direction)
//   size      `master.params.payload-size` (the app's payload; ping-pong and flood have it)
//   each --set path, in the order given on the command line.

import { ConfigError } from '../../sim/kernel/errors';
import { didYouMean } from '../../sim/text/did-you-mean';
import { PLATFORMS } from '../../platforms/registry';
import { ENVIRONMENT_NAMES } from '../../firmware/env/registry';

/** One axis: a column of the results and the scenario paths its value is set at. */
export interface Axis {
  /** The column: `platform`, `env`, `buffers`, `size` or the --set path. */
  name: string;
  /** The scenario paths each value is written to (--set path=value). */
  paths: string[];
  /** The values, as the results show them (sizes and counts as numbers, in bytes and buffers). */
  values: (string | number)[];
}

/** One point of the grid: its index (0-based, in product order) and the value of each axis. */
export interface Point {
  index: number;
  /** By axis name, in axis order. */
  values: Record<string, string | number>;
}

/** What the command line gives: each list as typed (comma-separated). */
export interface AxisOptions {
  platform?: string;
  env?: string;
  buffers?: string;
  size?: string;
  /** `path=v1,v2,…`, each one axis. */
  set?: readonly string[];
}

/** A bad axis on the command line: exit 2 (a ConfigError, as the CLI classifies it). */
export class SweepInputError extends ConfigError {
  override name = 'SweepInputError';
}

/** The path of the size axis (docs/sweep.md "Axes"). */
export const SIZE_PATH = 'master.params.payload-size';
/** The path of the buffers axis. */
export const BUFFERS_PATH = 'rpmsg.buffer-count';

/** `bm` is short for `bare-metal` (the environment's name in scenarios). */
const ENV_ALIASES: Record<string, string> = { bm: 'bare-metal' };

function list(option: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  const empty = items.findIndex((s) => s === '');
  if (empty >= 0) throw new SweepInputError(`--${option} ${text}: value ${empty + 1} is empty; expected a comma-separated list, e.g. --${option} ${EXAMPLES[option] ?? 'a,b'}`);
  const twice = items.find((s, i) => items.indexOf(s) !== i);
  if (twice !== undefined) throw new SweepInputError(`--${option} ${text}: ${twice} is given twice; each value is one point of the grid`);
  return items;
}

const EXAMPLES: Record<string, string> = { platform: 'imxrt1170,lpc55s69', env: 'bm,rtos', buffers: '2,4,8', size: '16,64,256' };

function wholeNumbers(option: string, text: string, unit: string): number[] {
  return list(option, text).map((item) => {
    const m = (unit === 'bytes' ? /^(\d+)\s*B?$/ : /^(\d+)$/).exec(item);
    const n = m === null ? NaN : Number(m[1]);
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new SweepInputError(`--${option} ${text}: "${item}" is not a whole number of ${unit} of at least 1, e.g. --${option} ${EXAMPLES[option]}`);
    }
    return n;
  });
}

/** The axes the options give, in product order; throws SweepInputError for a bad one. */
export function axesOf(options: AxisOptions): Axis[] {
  const axes: Axis[] = [];
  if (options.platform !== undefined) {
    const known = Object.keys(PLATFORMS);
    const values = list('platform', options.platform);
    for (const p of values) {
      if (!known.includes(p)) {
        const near = didYouMean(p, known);
        throw new SweepInputError(`--platform: unknown platform "${p}"${near === undefined ? '' : ` (did you mean ${near}?)`}; the platforms are ${known.join(', ')}`);
      }
    }
    axes.push({ name: 'platform', paths: ['platform'], values });
  }
  if (options.env !== undefined) {
    const names = ENVIRONMENT_NAMES as readonly string[];
    const values = list('env', options.env).map((e) => {
      const name = ENV_ALIASES[e] ?? e;
      if (!names.includes(name)) {
        const near = didYouMean(e, [...names, ...Object.keys(ENV_ALIASES)]);
        throw new SweepInputError(`--env: unknown environment "${e}"${near === undefined ? '' : ` (did you mean ${near}?)`}; the environments are ${names.join(', ')} (bm for bare-metal)`);
      }
      return name;
    });
    const twice = values.find((v, i) => values.indexOf(v) !== i);
    if (twice !== undefined) throw new SweepInputError(`--env ${options.env}: ${twice} is given twice`);
    axes.push({ name: 'env', paths: ['master.environment', 'remote.environment'], values });
  }
  if (options.buffers !== undefined) axes.push({ name: 'buffers', paths: [BUFFERS_PATH], values: wholeNumbers('buffers', options.buffers, 'buffers') });
  if (options.size !== undefined) axes.push({ name: 'size', paths: [SIZE_PATH], values: wholeNumbers('size', options.size, 'bytes') });
  for (const setting of options.set ?? []) {
    const eq = setting.indexOf('=');
    const path = eq < 0 ? '' : setting.slice(0, eq).trim();
    if (eq < 0 || path === '') throw new SweepInputError(`--set ${setting}: expected path=value or path=v1,v2,… (e.g. --set master.params.count=5,10)`);
    const values = list(`set ${path}=`, setting.slice(eq + 1));
    axes.push({ name: path, paths: [path], values });
  }
  // One path, one axis: a second would overwrite the first's value at every point.
  const seen = new Map<string, string>();
  for (const axis of axes) {
    for (const path of axis.paths) {
      const other = seen.get(path);
      if (other !== undefined) throw new SweepInputError(`${describeAxis(axis)} sets ${path}, which ${describeAxis({ name: other })} sets already; give each path once`);
      seen.set(path, axis.name);
    }
  }
  return axes;
}

function describeAxis(axis: Pick<Axis, 'name'>): string {
  return ['platform', 'env', 'buffers', 'size'].includes(axis.name) ? `--${axis.name}` : `--set ${axis.name}`;
}

/** The number of points of the grid (1 with no axis: the scenario as it is). */
export function pointCount(axes: readonly Axis[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/** Point `index` of the grid: the last axis varies fastest. */
export function pointAt(axes: readonly Axis[], index: number): Point {
  const values: Record<string, string | number> = {};
  let rest = index;
  for (let i = axes.length - 1; i >= 0; i--) {
    const axis = axes[i]!;
    values[axis.name] = axis.values[rest % axis.values.length]!;
    rest = Math.floor(rest / axis.values.length);
  }
  // in axis order
  return { index, values: Object.fromEntries(axes.map((a) => [a.name, values[a.name]!])) };
}

/** The `--set` arguments of a point, in axis order (a size in bytes as `16B`). */
export function settingsOf(axes: readonly Axis[], point: Point): string[] {
  return axes.flatMap((a) => a.paths.map((path) => `${path}=${a.name === 'size' ? `${point.values[a.name]}B` : String(point.values[a.name])}`));
}

/** `--shard i/n`: 1 ≤ i ≤ n; throws SweepInputError otherwise. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index >= 1 && index <= count)) {
    throw new SweepInputError(`--shard ${text}: expected i/n with 1 <= i <= n, e.g. --shard 1/4 (shard i runs the points whose index % n is i - 1)`);
  }
  return { index, count };
}

/** The indices of the points shard `index` of `count` runs (all of them without a shard). */
export function shardPoints(total: number, shard: { index: number; count: number } | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < total; i++) if (shard === null || i % shard.count === shard.index - 1) out.push(i);
  return out;
}
