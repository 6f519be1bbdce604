// Turns a platform description (data with sources) into a validated `ResolvedPlatform` of
// plain values, after applying overrides by dotted path ("clocks.cm7", "memories.ocram.
// readWaitStates", "cores.cm4.nvic.priorityBits": cores and memories by name, not index).
// Which values there are, their checks and how they are shown is declared once, in
// parameters.ts; the walks over that declaration are in declaration.ts.
//
// Validation collects every problem before failing, as zod does: one `PlatformConfigError`
// (a `ConfigError`) lists each as "platform <name>: <path>: <what is wrong>" on its own line:
// first the problems of single values, in description order, then those between values.
//
// The registry of platforms lives above this layer (platforms/registry.ts): it looks a
// platform up by name and resolves it here, so the description format knows no particular SoC.

import { ConfigError, InternalError } from '../../sim/kernel';
import {
  type Issue,
  type OverrideValue,
  type ParamUnit,
  type Resolved,
  applyOverrides,
  completed,
  describeDeclared,
  resolveDeclared,
  settingsOf,
  unitAt,
} from './declaration';
import { MAILBOX_TARGET, PLATFORM, PLATFORM_RULES, contextOf, normalised } from './parameters';
import type { MailboxKind, MailboxSide, PlatformDescription } from './types';

export { MAILBOX_TARGET };
export type { MailboxKind, MailboxSide, OverrideValue, ParamUnit };
export type PlatformOverrides = Readonly<Record<string, OverrideValue>>;

/**
 * A platform as plain values: the description with each `Param` replaced by its value,
 * cores master first, `targetOffset` and `priorityOrder` filled in (the latter empty but for
 * fixed priority). It is also the spec sim/hw/soc.ts builds the chip from.
 */
export type ResolvedPlatform = Resolved<PlatformDescription> & {
  /** Where each number comes from, by dotted path (the same paths overrides use). */
  readonly sources: Readonly<Record<string, string>>;
};
export type ResolvedCore = ResolvedPlatform['cores'][number];
export type ResolvedMemory = ResolvedPlatform['memories'][number];
export type ResolvedRegion = ResolvedCore['addressMap'][number];

/** One problem found in a platform: where (dotted path) and what. */
export type PlatformIssue = Issue;

/** A platform that cannot be simulated as described; lists every problem found. */
export class PlatformConfigError extends ConfigError {
  constructor(
    readonly platform: string,
    readonly issues: readonly PlatformIssue[],
  ) {
    super(issues.map((i) => `platform ${platform}: ${i.path}: ${i.message}`).join('\n'));
  }
}

/**
 * The window through which core `coreName` reaches the mailbox's registers (its first, if
 * it maps several). Validation refuses a platform with a core that maps none, so a missing
 * window is a bug.
 */
export function mailboxWindowOf(platform: ResolvedPlatform, coreName: string): ResolvedRegion {
  const window = platform.cores.find((c) => c.name === coreName)?.addressMap.find((w) => w.target === MAILBOX_TARGET);
  if (window === undefined) throw new InternalError(`${platform.name}: core ${coreName} maps no mailbox (validation refuses such a platform)`);
  return window;
}

/** The unit an override at `path` is written in ('hz': "200MHz", 'bytes': "8KiB"), as its parameter declares; none: a plain value. */
export function overrideUnit(path: string): ParamUnit | undefined {
  return unitAt(PLATFORM, path);
}

/** Applies overrides to a description and validates the result (all problems reported at once). */
export function resolvePlatform(description: PlatformDescription, overrides: PlatformOverrides = {}): ResolvedPlatform {
  const platformName = typeof description.name === 'string' && description.name !== '' ? description.name : '(unnamed)';
  // Overrides edit a copy: the registered description is shared by every load. A tree copy,
  // not structuredClone: descriptions share Param objects between places (a helper's region,
  // a cache pair's figures), and an override of one place must not reach the others.
  const working = treeCopy(description);
  const issues: PlatformIssue[] = [];
  const notes = Object.keys(overrides).length === 0 ? new Map<string, string>() : applyOverrides(settingsOf(PLATFORM, working), overrides, issues);
  const sources: Record<string, string> = {};
  const draft = normalised(resolveDeclared(PLATFORM, working, contextOf(working), issues, sources));
  for (const rule of PLATFORM_RULES) rule(draft, (path, message) => issues.push({ path, message }));
  // A plain field (a clock name, a role) has no source of its own: an override says so.
  for (const [path, note] of notes) sources[path] ??= note;
  if (issues.length > 0) throw new PlatformConfigError(platformName, issues);
  return deepFreeze({ ...completed(PLATFORM, draft), sources });
}

/** A multi-line description: every value with its override path and its source. */
export function describeResolvedPlatform(p: ResolvedPlatform): string {
  return describeDeclared(PLATFORM, p, p.sources);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A copy of plain data in which no two places share an object (structuredClone keeps aliases). */
function treeCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(treeCopy) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, treeCopy(v)])) as T;
  }
  return value;
}
