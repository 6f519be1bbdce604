// Reading values from the located tree (yaml-tree.ts): maps with their unknown and missing
// keys, and scalars in their units (units.ts). Each reader reports a problem at the node and
// returns undefined when the value is unusable, so a section reader goes on and every
// problem of the file is found at once. Durations in cycles are checked against the
// platform's cores once the platform is known.

import { RL_NS_NAME_SIZE } from '../firmware/rpmsg-lite/constants';
import { didYouMean } from '../sim/text/did-you-mean';
import type { Duration, SourceLocation } from './types';
import { type Parsed, parseDuration, parseSize, parseTimeoutMs } from './units';
import { MAX_ADDRESS } from './vocabulary';
import { Fields, type LNode, type Path, type ScenarioText, describeNode } from './yaml-tree';

export class Reader {
  private platformName: string | undefined;
  /** Core names of the platform (master first); undefined while the platform is unknown. */
  private cores: string[] | undefined;
  private exampleCore = 'cm4';
  /** Per core name: the GPIO pins it can drive (pins are named after the core that measures with them). */
  private pinsByCore: ReadonlyMap<string, readonly string[]> | undefined;

  constructor(private readonly text: ScenarioText) {}

  /** Durations in cycles from here on name a core of this platform; pins name its measuring pins. */
  /** The scenario's platform, once known. */
  get platform(): string | undefined {
    return this.platformName;
  }

  usePlatform(name: string, cores: string[], pinsByCore?: ReadonlyMap<string, readonly string[]>): void {
    this.platformName = name;
    this.cores = cores;
    this.exampleCore = cores[1]!;
    this.pinsByCore = pinsByCore;
  }

  /** The name of the core that plays `role` (master first), once the platform is known. */
  coreOf(role: 'master' | 'remote'): string | undefined {
    return this.cores?.[role === 'master' ? 0 : 1];
  }

  /**
   * A pin name: a core's measuring pin (named after the core). With `driver`, a pin that core
   * can drive (its address map reaches the pin's GPIO block).
   */
  pin(node: LNode, path: Path, driver?: string): string | undefined {
    const name = this.string(node, path, 'a pin name (the name of the core whose measuring pin it is)');
    if (name === undefined || this.pinsByCore === undefined || this.cores === undefined) return name;
    if (!this.cores.includes(name)) {
      this.error(node.offset, path, `no pin named "${name}" on ${this.platformName}; its pins are named after the cores: ${this.cores.join(', ')}`, suggestionNote(name, this.cores));
      return undefined;
    }
    const drivable = driver === undefined ? undefined : this.pinsByCore.get(driver);
    if (drivable !== undefined && !drivable.includes(name)) {
      this.error(node.offset, path, `${driver} cannot drive pin "${name}": no window of ${driver} maps its GPIO block`, `${driver} drives ${drivable.join(', ')}`);
      return undefined;
    }
    return name;
  }

  get errorCount(): number {
    return this.text.errorCount;
  }

  get file(): string {
    return this.text.file;
  }

  error(offset: number, path: Path, message: string, note?: string): void {
    this.text.error(offset, path, message, note);
  }

  location(offset: number): SourceLocation {
    return this.text.location(offset);
  }

  lineOf(offset: number): number {
    return this.text.lineOf(offset);
  }

  /** "line 12", or "--set #2" for a node from a --set argument. */
  placeOf(offset: number): string {
    return this.text.placeOf(offset);
  }

  failed(node: LNode, path: Path, result: Parsed<unknown> & { ok: false }): undefined {
    this.error(node.offset, path, result.message, result.note);
    return undefined;
  }

  /** Reads a map, reporting unknown keys (with "did you mean") and missing required ones. */
  fields(
    node: LNode,
    path: Path,
    where: string,
    anchor: number,
    allowed: readonly string[],
    required: readonly string[] = [],
  ): Fields | undefined {
    if (node.kind !== 'map') {
      this.error(node.offset, path, `expected a map for ${where}, got ${describeNode(node)}`, allowed.length > 0 ? `keys: ${allowed.join(', ')}` : undefined);
      return undefined;
    }
    const meant = new Set<string>();
    for (const entry of node.entries) {
      if (allowed.includes(entry.key)) continue;
      const near = didYouMean(entry.key, allowed);
      if (near !== undefined) meant.add(near);
      const note =
        near !== undefined ? `did you mean "${near}"?` : allowed.length === 0 ? `${where} takes no fields` : `expected one of ${allowed.join(', ')}`;
      this.error(entry.keyOffset, [...path, entry.key], `unknown key "${entry.key}" in ${where}`, note);
    }
    for (const key of required) {
      // A misspelt required key is reported once, as unknown with its correction.
      if (meant.has(key)) continue;
      if (!node.entries.some((e) => e.key === key)) this.error(anchor, path, `missing required key "${key}" in ${where}`);
    }
    return new Fields(node, path, where, anchor);
  }

  // -- values: each reports a problem and returns undefined when the value is unusable --

  string(node: LNode, path: Path, what = 'a string'): string | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'string' && node.value !== '') return node.value;
    this.error(node.offset, path, `expected ${what}, got ${describeNode(node)}`);
    return undefined;
  }

  whole(node: LNode, path: Path, min = 0, max = Number.MAX_SAFE_INTEGER, why?: string): number | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return v;
    const range = max === Number.MAX_SAFE_INTEGER ? `, at least ${min}` : ` from ${min} to ${max}`;
    this.error(node.offset, path, `expected a whole number${range}, got ${describeNode(node)}`, why);
    return undefined;
  }

  flag(node: LNode, path: Path): boolean | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    this.error(node.offset, path, `expected true or false, got ${describeNode(node)}`);
    return undefined;
  }

  choice<T extends string>(node: LNode, path: Path, options: readonly T[], what: string): T | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    const message = typeof v === 'string' ? `unknown ${what} "${v}"` : `expected ${what}, got ${describeNode(node)}`;
    this.error(node.offset, path, `${message}; expected one of ${options.join(', ')}`, typeof v === 'string' ? suggestionNote(v, options) : undefined);
    return undefined;
  }

  duration(node: LNode, path: Path): Duration | undefined {
    const result = parseDuration(node.kind === 'scalar' ? node.value : node.kind === 'seq' ? [] : {}, this.exampleCore);
    if (!result.ok) return this.failed(node, path, result);
    const d = result.value;
    if ('cycles' in d && this.cores !== undefined && !this.cores.includes(d.core)) {
      this.error(
        node.offset,
        path,
        `no core named "${d.core}" on ${this.platformName}; cycles count on ${this.cores.join(' or ')}`,
        suggestionNote(d.core, this.cores),
      );
      return undefined;
    }
    return d;
  }

  size(node: LNode, path: Path): number | undefined {
    const result = parseSize(node.kind === 'scalar' ? node.value : node.kind === 'seq' ? [] : {});
    return result.ok ? result.value : this.failed(node, path, result);
  }

  timeout(node: LNode | undefined, path: Path): number | 'block' | undefined {
    if (node === undefined) return 'block';
    const result = parseTimeoutMs(node.kind === 'scalar' ? node.value : node.kind === 'seq' ? [] : {});
    return result.ok ? result.value : this.failed(node, path, result);
  }

  address(node: LNode, path: Path): number | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_ADDRESS) return v;
    this.error(node.offset, path, `expected an endpoint address from 0 to 0xFFFFFFFE, got ${describeNode(node)}`);
    return undefined;
  }

  /** A name-service name: fits RL_NS_NAME_SIZE bytes, as rpmsg_ns_announce copies no more. */
  nsName(node: LNode, path: Path): string | undefined {
    const name = this.string(node, path, 'a name');
    if (name === undefined) return undefined;
    const bytes = new TextEncoder().encode(name).length;
    if (bytes > RL_NS_NAME_SIZE) {
      this.error(node.offset, path, `a name-service name is at most ${RL_NS_NAME_SIZE} bytes (RL_NS_NAME_SIZE), "${name}" is ${bytes}`);
      return undefined;
    }
    return name;
  }
}

/** "did you mean …?" for a near miss, else the list of valid words (after `lead`), else nothing. */
export function suggestionNote(word: string, candidates: readonly string[], lead?: string): string | undefined {
  const near = didYouMean(word, candidates);
  if (near !== undefined) return `did you mean "${near}"?`;
  return lead === undefined ? undefined : `${lead} ${candidates.join(', ')}`;
}

