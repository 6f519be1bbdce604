// Scenario files (docs/scenario-format.md): YAML text in, a validated `Scenario` (types.ts)
// in base units out — or every problem of the file at once, each as data located at the
// node that is wrong (esbuild's messages, zod's issue lists). User mistakes are collected,
// never thrown; an exception from here is a bug.
//
// The YAML is parsed with `yaml` (eemeli) into its node tree, which keeps source offsets;
// that tree is turned into a small located tree (maps, lists, scalars with their offsets)
// that the section readers below walk. Units are parsed only in units.ts.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { type Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { RL_ERROR_NAMES, RL_MAX_BUFFER_COUNT, RL_MAX_VRING_ALIGN, RL_NS_NAME_SIZE } from '../firmware/rpmsg-lite/constants';
import { DEFAULT_PLATFORM, listPlatforms, loadPlatform } from '../platforms/registry';
import { PlatformConfigError } from '../platforms/description/load';
import { ConfigError } from '../sim/kernel';
import type { RecordKind } from '../sim/trace/trace';
import type {
  Bound,
  CoreSetup,
  Duration,
  Expectations,
  Firmware,
  Role,
  RpmsgSettings,
  Scenario,
  ScenarioError,
  SourceLocation,
  Step,
} from './types';
import { didYouMean } from '../sim/text/did-you-mean';
import { type Parsed, describeInput, parseDuration, parseFrequency, parseSize, parseTimeoutMs } from './units';

export type { ScenarioError } from './types';

// ---- the format's vocabulary (scenarios/schema.json must say the same; schema.test.ts checks) ----

export const TOP_KEYS = ['name', 'description', 'platform', 'overrides', 'rpmsg', 'master', 'remote', 'stop', 'expect', 'trace'] as const;
export const CORE_KEYS = ['environment', 'app', 'params', 'steps', 'module', 'export'] as const;
export const ENVIRONMENTS = ['bare-metal', 'rtos'] as const;
export const RPMSG_KEYS = [
  'buffer-payload-size',
  'buffer-count',
  'vring-align',
  'vring-size',
  'ms-per-interval',
  'allow-consumed-buffers-notification',
  'clear-used-buffers',
] as const;
export const STOP_KEYS = ['time', 'messages'] as const;
export const EXPECT_KEYS = ['messages', 'codes', 'latency', 'link-up'] as const;
export const MESSAGE_COUNT_KEYS = ['delivered', 'master-to-remote', 'remote-to-master'] as const;
export const LATENCY_KEYS = ['one-way', 'send-return'] as const;
export const LATENCY_STATS = ['min', 'mean', 'p50', 'p99', 'max'] as const;
export const BOUND_KEYS = ['at-least', 'at-most'] as const;
export const ROLES = ['master', 'remote'] as const;
export const TRACE_KEYS = ['kinds'] as const;
export const CODE_NAMES: readonly string[] = Object.values(RL_ERROR_NAMES);

// Written out so that a new record kind fails type checking here until it is listed.
const RECORD_KIND_SET: Record<RecordKind, true> = {
  bus: true,
  burst: true,
  'bus-fault': true,
  'irq-line': true,
  'irq-pending': true,
  'irq-entry': true,
  'irq-late-arrival': true,
  'handler-start': true,
  'handler-end': true,
  'exception-return': true,
  sleep: true,
  wake: true,
  lockup: true,
  'rl-call': true,
  'rl-return': true,
  'rl-enqueue': true,
  'rl-deliver': true,
  'rl-link-up': true,
};
export const RECORD_KINDS = Object.keys(RECORD_KIND_SET) as RecordKind[];

type StepKind = Step['kind'];
interface StepSpec {
  readonly fields: readonly string[];
  readonly required: readonly string[];
  /** The field a scalar value stands for: `- delay: 10us` is `- delay: {duration: 10us}`. */
  readonly shorthand?: string;
}
export const STEPS: Readonly<Record<StepKind, StepSpec>> = {
  init: { fields: [], required: [] },
  'create-endpoint': { fields: ['name', 'addr', 'on-receive'], required: ['name'] },
  'destroy-endpoint': { fields: ['endpoint'], required: ['endpoint'], shorthand: 'endpoint' },
  'wait-link-up': { fields: ['timeout'], required: [] },
  send: { fields: ['from', 'to', 'size', 'data', 'repeat', 'interval', 'timeout'], required: ['from', 'to'] },
  'send-nocopy': { fields: ['from', 'to', 'size', 'repeat', 'interval', 'timeout'], required: ['from', 'to', 'size'] },
  receive: { fields: ['endpoint', 'count', 'timeout'], required: ['endpoint'] },
  'queue-receive': { fields: ['endpoint', 'count', 'timeout'], required: ['endpoint'] },
  release: { fields: ['endpoint', 'count'], required: ['endpoint'], shorthand: 'endpoint' },
  'ns-bind': { fields: [], required: [] },
  'ns-announce': { fields: ['endpoint', 'name', 'flags'], required: ['endpoint', 'name'] },
  delay: { fields: ['duration'], required: ['duration'], shorthand: 'duration' },
  compute: { fields: ['cycles'], required: ['cycles'], shorthand: 'cycles' },
  mark: { fields: ['label'], required: ['label'], shorthand: 'label' },
};
const STEP_KINDS = Object.keys(STEPS) as StepKind[];
/** Steps that call rpmsg-lite, so need `init` before them. */
const STEPS_WITHOUT_INIT: ReadonlySet<StepKind> = new Set(['init', 'delay', 'compute', 'mark']);
const ON_RECEIVE = ['release', 'hold', 'queue'] as const;
const NS_FLAGS = ['create', 'destroy'] as const;

export type AppName = Extract<Firmware, { kind: 'app' }>['app'];
type ParamKind = 'count' | 'size' | 'cycles' | 'flag' | 'address' | 'ns-name' | 'ns-names' | 'strings';
interface ParamSpec {
  /** In the YAML. */
  readonly key: string;
  /** In the app's options object. */
  readonly option: string;
  readonly kind: ParamKind;
  readonly required?: boolean;
  /** Smallest value (counts and sizes), with the reason. */
  readonly min?: { value: number; why: string };
}
const CHANNEL: ParamSpec = { key: 'channel', option: 'channel', kind: 'ns-name' };
const REMOTE_ENDPOINT: ParamSpec = { key: 'remote-endpoint', option: 'remoteEndpoint', kind: 'address' };
export const APPS: Readonly<Record<AppName, readonly ParamSpec[]>> = {
  'ping-pong': [
    { key: 'count', option: 'count', kind: 'count', required: true },
    { key: 'payload-size', option: 'payloadSize', kind: 'size', required: true, min: { value: 4, why: 'the counter is 4 bytes' } },
    REMOTE_ENDPOINT,
    CHANNEL,
  ],
  'str-echo': [{ key: 'strings', option: 'strings', kind: 'strings', required: true }, CHANNEL, REMOTE_ENDPOINT],
  flood: [
    { key: 'count', option: 'count', kind: 'count', required: true },
    { key: 'payload-size', option: 'payloadSize', kind: 'size', required: true },
    { key: 'stop-at-no-mem', option: 'stopAtNoMem', kind: 'flag' },
    { key: 'consumer-cycles', option: 'consumerCycles', kind: 'cycles' },
    { key: 'log', option: 'log', kind: 'flag' },
  ],
  'ns-demo': [{ key: 'names', option: 'names', kind: 'ns-names', required: true }],
};
const APP_NAMES = Object.keys(APPS) as AppName[];

const MAX_ADDRESS = 0xfffffffe; // RL_ADDR_ANY (0xFFFFFFFF) is not an address
const ENDPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MODULE_EXTENSIONS = ['.ts', '.js'];

// ---- entry points ----------------------------------------------------------------------------

/** Parses and validates a scenario; `errors` lists every problem found, sorted by position. */
export function loadScenario(file: string, text: string): { scenario?: Scenario; errors: ScenarioError[] } {
  const loader = new Loader(file, text);
  const scenario = loader.load();
  const errors = loader.sortedErrors();
  if (errors.length > 0 || scenario === undefined) return { errors };
  return { scenario, errors };
}

/**
 * Errors as text, one block per error:
 *
 *     file:line:column: message
 *       12 |     interval: 10 parsecs
 *          |               ^
 *       note: …
 */
export function formatErrors(errors: readonly ScenarioError[]): string {
  return errors
    .map((e) => {
      const number = String(e.line);
      const gutter = ' '.repeat(number.length);
      // Keep tabs in the padding so the caret lines up under tabbed text. Columns count
      // UTF-16 units, as the YAML parser's offsets do.
      const pad = e.lineText.slice(0, Math.max(0, e.column - 1)).replace(/[^\t]/g, ' ');
      const lines = [`${e.file}:${e.line}:${e.column}: ${e.message}`, `  ${number} | ${e.lineText}`, `  ${gutter} | ${pad}^`];
      if (e.note !== undefined) lines.push(`  note: ${e.note}`);
      return lines.join('\n') + '\n';
    })
    .join('');
}

// ---- the located tree ------------------------------------------------------------------------

type Path = (string | number)[];
type ScalarValue = string | number | boolean | null;
interface MapNode {
  kind: 'map';
  offset: number;
  entries: Entry[];
}
interface SeqNode {
  kind: 'seq';
  offset: number;
  items: LNode[];
}
interface ScalarNode {
  kind: 'scalar';
  offset: number;
  value: ScalarValue;
}
type LNode = MapNode | SeqNode | ScalarNode;
interface Entry {
  key: string;
  keyOffset: number;
  value: LNode;
}

function describeNode(node: LNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  return describeInput(node.value);
}

/** A map being read: its entries, where it is, and where to report a missing key. */
class Fields {
  constructor(
    readonly node: MapNode,
    readonly path: Path,
    /** "master", "the send step": how messages name this map. */
    readonly where: string,
    /** Offset of the key that introduced the map (missing keys are reported there). */
    readonly anchor: number,
  ) {}
  entry(key: string): Entry | undefined {
    return this.node.entries.find((e) => e.key === key);
  }
  get(key: string): LNode | undefined {
    return this.entry(key)?.value;
  }
  at(key: string): Path {
    return [...this.path, key];
  }
}

interface EndpointInfo {
  onReceive: (typeof ON_RECEIVE)[number];
  offset: number;
  destroyedAt?: number;
}

/** What the steps of both cores create, found before reading them (for "defined later" notes). */
type EndpointCensus = Record<Role, Map<string, number>>;

class Loader {
  private readonly found: ScenarioError[] = [];
  private readonly unreadable = new Set<number>();
  private readonly lineCounter = new LineCounter();
  private readonly lines: string[];
  private platformName: string | undefined;
  /** Core names of the platform (master first); undefined while the platform is unknown. */
  private cores: string[] | undefined;
  private exampleCore = 'cm4';

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
  }

  sortedErrors(): ScenarioError[] {
    // Stable: errors at one place keep the order they were found in.
    return this.found
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
      .map(({ e }) => e);
  }

  load(): Scenario | undefined {
    const doc = parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: false });
    const reported = new Set<number>();
    for (const problem of [...doc.errors, ...doc.warnings]) {
      const { line } = this.lineCounter.linePos(problem.pos[0]);
      // The parser often reports one slip as several tokens on a line: keep the first.
      if (reported.has(line)) continue;
      reported.add(line);
      const message =
        problem.code === 'MULTIPLE_DOCS'
          ? 'a scenario file holds one YAML document; remove this "---" or split the file'
          : `invalid YAML: ${problem.message}`;
      this.error(problem.pos[0], [], message);
    }
    if (this.found.length > 0) return undefined;
    if (doc.contents === null) {
      this.error(0, [], 'the file is empty', 'a scenario needs at least master, remote and stop');
      return undefined;
    }
    // Problems found while building the tree (duplicate keys, …) are local: go on validating.
    return this.scenario(this.tree(doc.contents, doc, 0, []));
  }

  // -- errors --

  private error(offset: number, path: Path, message: string, note?: string): void {
    // A node that could not be read (an unknown alias, …) gets one message, not one per reader.
    if (this.unreadable.has(offset)) return;
    const { line, col } = this.lineCounter.linePos(Math.min(offset, this.text.length));
    this.found.push({
      file: this.file,
      line,
      column: col,
      message,
      path,
      ...(note !== undefined && { note }),
      lineText: this.lines[line - 1] ?? '',
    });
  }

  private failed(node: LNode, path: Path, result: Parsed<unknown> & { ok: false }): undefined {
    this.error(node.offset, path, result.message, result.note);
    return undefined;
  }

  // -- YAML nodes to the located tree --

  private tree(node: unknown, doc: Document, fallback: number, path: Path, depth = 0): LNode {
    if (depth > 100) {
      this.error(fallback, path, 'the document nests too deeply (an alias that contains itself?)');
      return { kind: 'scalar', offset: fallback, value: null };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        const offset = node.range?.[0] ?? fallback;
        this.error(offset, path, `unknown alias *${node.source}`, 'define the anchor (&name) before using it');
        this.unreadable.add(offset);
        return { kind: 'scalar', offset, value: null };
      }
      return this.tree(target, doc, node.range?.[0] ?? fallback, path, depth + 1);
    }
    if (isMap(node)) {
      const offset = node.range?.[0] ?? fallback;
      const entries: Entry[] = [];
      const firstAt = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key;
        const keyOffset = (isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? keyNode.range?.[0] : undefined) ?? offset;
        if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          this.error(keyOffset, path, 'a key must be a plain name, not a map or a list');
          continue;
        }
        const key = String(keyNode.value);
        const first = firstAt.get(key);
        if (first !== undefined) {
          this.error(keyOffset, [...path, key], `duplicate key "${key}"`, `it is already set at line ${this.lineCounter.linePos(first).line}`);
          continue;
        }
        firstAt.set(key, keyOffset);
        // An empty value ("key:") is reported at its key, where the reader looks.
        const value = pair.value === null ? ({ kind: 'scalar', offset: keyOffset, value: null } as const) : undefined;
        entries.push({ key, keyOffset, value: value ?? this.tree(pair.value, doc, keyOffset, [...path, key], depth + 1) });
      }
      return { kind: 'map', offset, entries };
    }
    if (isSeq(node)) {
      const offset = node.range?.[0] ?? fallback;
      return { kind: 'seq', offset, items: node.items.map((item, i) => this.tree(item, doc, offset, [...path, i], depth + 1)) };
    }
    if (isScalar(node)) {
      const start = node.range?.[0] ?? fallback;
      const end = node.range?.[1] ?? start;
      const offset = node.value === null && end === start ? fallback : start;
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        return { kind: 'scalar', offset, value: v };
      }
      this.error(offset, path, `unsupported YAML value${node.tag !== undefined ? ` (tag ${node.tag})` : ''}`, 'write plain numbers, text, true or false');
      this.unreadable.add(offset);
      return { kind: 'scalar', offset, value: null };
    }
    return { kind: 'scalar', offset: fallback, value: null };
  }

  // -- maps --

  /** Reads a map, reporting unknown keys (with "did you mean") and missing required ones. */
  private fields(
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

  private string(node: LNode, path: Path, what = 'a string'): string | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'string' && node.value !== '') return node.value;
    this.error(node.offset, path, `expected ${what}, got ${describeNode(node)}`);
    return undefined;
  }

  private whole(node: LNode, path: Path, min = 0, max = Number.MAX_SAFE_INTEGER, why?: string): number | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return v;
    const range = max === Number.MAX_SAFE_INTEGER ? `, at least ${min}` : ` from ${min} to ${max}`;
    this.error(node.offset, path, `expected a whole number${range}, got ${describeNode(node)}`, why);
    return undefined;
  }

  private flag(node: LNode, path: Path): boolean | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    this.error(node.offset, path, `expected true or false, got ${describeNode(node)}`);
    return undefined;
  }

  private choice<T extends string>(node: LNode, path: Path, options: readonly T[], what: string): T | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    const message = typeof v === 'string' ? `unknown ${what} "${v}"` : `expected ${what}, got ${describeNode(node)}`;
    this.error(node.offset, path, `${message}; expected one of ${options.join(', ')}`, typeof v === 'string' ? suggestionNote(v, options) : undefined);
    return undefined;
  }

  private duration(node: LNode, path: Path): Duration | undefined {
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

  private size(node: LNode, path: Path): number | undefined {
    const result = parseSize(node.kind === 'scalar' ? node.value : node.kind === 'seq' ? [] : {});
    return result.ok ? result.value : this.failed(node, path, result);
  }

  private timeout(node: LNode | undefined, path: Path): number | 'block' | undefined {
    if (node === undefined) return 'block';
    const result = parseTimeoutMs(node.kind === 'scalar' ? node.value : node.kind === 'seq' ? [] : {});
    return result.ok ? result.value : this.failed(node, path, result);
  }

  private address(node: LNode, path: Path): number | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_ADDRESS) return v;
    this.error(node.offset, path, `expected an endpoint address from 0 to 0xFFFFFFFE, got ${describeNode(node)}`);
    return undefined;
  }

  /** A name-service name: fits RL_NS_NAME_SIZE bytes, as rpmsg_ns_announce copies no more. */
  private nsName(node: LNode, path: Path): string | undefined {
    const name = this.string(node, path, 'a name');
    if (name === undefined) return undefined;
    const bytes = new TextEncoder().encode(name).length;
    if (bytes > RL_NS_NAME_SIZE) {
      this.error(node.offset, path, `a name-service name is at most ${RL_NS_NAME_SIZE} bytes (RL_NS_NAME_SIZE), "${name}" is ${bytes}`);
      return undefined;
    }
    return name;
  }

  private location(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private lineOf(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }

  // -- the scenario --

  private scenario(root: LNode): Scenario | undefined {
    const top = this.fields(root, [], 'the scenario', root.offset, TOP_KEYS, ['master', 'remote', 'stop']);
    if (top === undefined) return undefined;

    const nameNode = top.get('name');
    const name = nameNode === undefined ? basename(this.file).replace(/\.ya?ml$/i, '') : this.string(nameNode, top.at('name'));
    const descriptionNode = top.get('description');
    const description = descriptionNode === undefined ? undefined : this.string(descriptionNode, top.at('description'));

    // The platform first: durations in cycles anywhere are checked against its cores.
    const platformNode = top.get('platform');
    const platform = platformNode === undefined ? DEFAULT_PLATFORM : this.choice(platformNode, top.at('platform'), listPlatforms(), 'platform');
    if (platform !== undefined) {
      this.platformName = platform;
      this.cores = loadPlatform(platform).cores.map((c) => c.name);
      this.exampleCore = this.cores[1]!;
    }

    const overridesEntry = top.entry('overrides');
    const overrides = overridesEntry === undefined ? {} : this.overrides(overridesEntry, platform);
    const rpmsgEntry = top.entry('rpmsg');
    const rpmsg = rpmsgEntry === undefined ? {} : this.rpmsg(rpmsgEntry);

    const census: EndpointCensus = { master: endpointCensus(top.get('master')), remote: endpointCensus(top.get('remote')) };
    const masterEntry = top.entry('master');
    const remoteEntry = top.entry('remote');
    const master = masterEntry === undefined ? undefined : this.core(masterEntry, 'master', census);
    const remote = remoteEntry === undefined ? undefined : this.core(remoteEntry, 'remote', census);
    if (master !== undefined && remote !== undefined) this.pairApps(master, remote);

    const stopEntry = top.entry('stop');
    const stop = stopEntry === undefined ? undefined : this.stop(stopEntry);
    const expectEntry = top.entry('expect');
    const expect = expectEntry === undefined ? {} : this.expect(expectEntry);
    const traceEntry = top.entry('trace');
    const trace = traceEntry === undefined ? undefined : this.trace(traceEntry);

    if (this.found.length > 0) return undefined;
    if (name === undefined || platform === undefined || overrides === undefined || rpmsg === undefined) return undefined;
    if (master === undefined || remote === undefined || stop === undefined || expect === undefined) return undefined;
    return {
      file: this.file,
      name,
      ...(description !== undefined && { description }),
      platform,
      overrides,
      rpmsg,
      master: master.setup,
      remote: remote.setup,
      stop,
      expect,
      ...(trace !== undefined && { trace }),
    };
  }

  // -- platform overrides --

  private overrides(entry: Entry, platform: string | undefined): Record<string, number | string> | undefined {
    const path: Path = ['overrides'];
    const node = entry.value;
    if (node.kind !== 'map') {
      this.error(node.offset, path, `expected a map of platform settings (dotted path: value), got ${describeNode(node)}`, 'e.g. clocks.cm4: 200MHz');
      return undefined;
    }
    const values: Record<string, number | string> = {};
    let ok = true;
    for (const { key, value } of node.entries) {
      const converted = this.overrideValue(key, value, [...path, key]);
      if (converted === undefined) ok = false;
      else values[key] = converted;
    }
    if (platform === undefined) return ok ? values : undefined;
    // The values that did convert still go through the platform's checks: all errors at once.
    try {
      loadPlatform(platform, values);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const issues = error instanceof PlatformConfigError ? error.issues : [{ path: '', message: error.message }];
      for (const issue of issues) this.overrideIssue(node, entry.keyOffset, platform, issue.path, issue.message);
      return undefined;
    }
    return ok ? values : undefined;
  }

  /** Values with units become base units here; the platform loader checks the rest. */
  private overrideValue(key: string, node: LNode, path: Path): number | string | undefined {
    const last = key.split('.').pop() ?? '';
    if (key.startsWith('clocks.')) {
      const result = parseFrequency(node.kind === 'scalar' ? node.value : {});
      return result.ok ? result.value : this.failed(node, path, result);
    }
    if (last === 'size' || last === 'sharedMemorySize') return this.size(node, path);
    if (node.kind === 'scalar' && (typeof node.value === 'number' || typeof node.value === 'string')) return node.value;
    this.error(node.offset, path, `expected a number or a string, got ${describeNode(node)}`);
    return undefined;
  }

  /** A platform issue goes to the override it is about (or one near it), else to `overrides:`. */
  private overrideIssue(node: MapNode, sectionOffset: number, platform: string, issuePath: string, message: string): void {
    const related = (key: string): boolean => key === issuePath || issuePath.startsWith(`${key}.`) || key.startsWith(`${issuePath}.`);
    // Else an override of the same section ("interconnect.arbitration" for "interconnect.priorityOrder").
    const section = (path: string): string => path.split('.')[0]!;
    const entry =
      node.entries.find((e) => e.key === issuePath) ??
      node.entries.find((e) => related(e.key)) ??
      node.entries.find((e) => section(e.key) === section(issuePath));
    const unknown = /^no such setting; (nearest valid paths: .*)$/.exec(message);
    if (entry !== undefined && unknown !== null) {
      this.error(entry.keyOffset, ['overrides', entry.key], `${platform} has no setting "${entry.key}"`, unknown[1]);
    } else if (entry !== undefined) {
      this.error(entry.value.offset, ['overrides', entry.key], `platform ${platform}: ${issuePath}: ${message}`);
    } else {
      this.error(sectionOffset, ['overrides'], `platform ${platform}${issuePath === '' ? '' : `: ${issuePath}`}: ${message}`, 'the overrides together leave the platform invalid');
    }
  }

  // -- rpmsg-lite configuration --

  private rpmsg(entry: Entry): RpmsgSettings | undefined {
    const f = this.fields(entry.value, ['rpmsg'], 'rpmsg', entry.keyOffset, RPMSG_KEYS);
    if (f === undefined) return undefined;
    const out: RpmsgSettings = {};
    const payload = f.get('buffer-payload-size');
    if (payload !== undefined) {
      const v = this.size(payload, f.at('buffer-payload-size'));
      if (v === 0) this.error(payload.offset, f.at('buffer-payload-size'), 'the buffer payload size must be more than 0B');
      else if (v !== undefined) out.bufferPayloadSize = v;
    }
    const count = f.get('buffer-count');
    if (count !== undefined) {
      const v = this.whole(count, f.at('buffer-count'), 1, RL_MAX_BUFFER_COUNT);
      if (v !== undefined && (v & (v - 1)) !== 0) {
        this.error(count.offset, f.at('buffer-count'), `the buffer count must be a power of two (RL_BUFFER_COUNT), got ${v}`);
      } else if (v !== undefined) out.bufferCount = v;
    }
    const align = f.get('vring-align');
    if (align !== undefined) {
      const v = this.size(align, f.at('vring-align'));
      if (v !== undefined && !(v > 0 && (v & (v - 1)) === 0 && v <= RL_MAX_VRING_ALIGN)) {
        this.error(align.offset, f.at('vring-align'), `VRING_ALIGN must be a power of two up to ${RL_MAX_VRING_ALIGN}B, got ${v}B`);
      } else if (v !== undefined) out.vringAlign = v;
    }
    const vringSize = f.get('vring-size');
    if (vringSize !== undefined) {
      const v = this.size(vringSize, f.at('vring-size'));
      if (v === 0) this.error(vringSize.offset, f.at('vring-size'), 'VRING_SIZE must be more than 0B');
      else if (v !== undefined) out.vringSize = v;
    }
    const interval = f.get('ms-per-interval');
    if (interval !== undefined) {
      const v = this.whole(interval, f.at('ms-per-interval'), 1);
      if (v !== undefined) out.msPerInterval = v;
    }
    const consumed = f.get('allow-consumed-buffers-notification');
    if (consumed !== undefined) {
      const v = this.flag(consumed, f.at('allow-consumed-buffers-notification'));
      if (v !== undefined) out.allowConsumedBuffersNotification = v;
    }
    const clear = f.get('clear-used-buffers');
    if (clear !== undefined) {
      const v = this.flag(clear, f.at('clear-used-buffers'));
      if (v !== undefined) out.clearUsedBuffers = v;
    }
    return out;
  }

  // -- cores --

  private core(entry: Entry, role: Role, census: EndpointCensus): CoreRead | undefined {
    const f = this.fields(entry.value, [role], role, entry.keyOffset, CORE_KEYS);
    if (f === undefined) return undefined;
    const environmentNode = f.get('environment');
    const environment = environmentNode === undefined ? 'bare-metal' : this.choice(environmentNode, f.at('environment'), ENVIRONMENTS, 'environment');

    const kinds = (['app', 'steps', 'module'] as const).filter((k) => f.entry(k) !== undefined);
    if (kinds.length === 0) {
      this.error(entry.keyOffset, [role], `${role} needs one of app, steps or module`, 'app: a built-in app; steps: a list of rpmsg-lite calls; module: your own firmware file');
      return undefined;
    }
    for (const extra of kinds.slice(1)) {
      const first = f.entry(kinds[0]!)!;
      this.error(
        f.entry(extra)!.keyOffset,
        f.at(extra),
        `${role} has both ${kinds[0]} (line ${this.lineOf(first.keyOffset)}) and ${extra}; give one of app, steps or module`,
      );
    }
    const kind = kinds[0]!;
    if (kind !== 'app' && f.entry('params') !== undefined) {
      this.error(f.entry('params')!.keyOffset, f.at('params'), 'params belong to an app; this core has no app');
    }
    if (kind !== 'module' && f.entry('export') !== undefined) {
      this.error(f.entry('export')!.keyOffset, f.at('export'), 'export names a program of a module; this core has no module');
    }
    if (environment === undefined || kinds.length > 1) return undefined;

    if (kind === 'app') {
      const appEntry = f.entry('app')!;
      const app = this.choice(appEntry.value, f.at('app'), APP_NAMES, 'app');
      if (app === undefined) return undefined;
      const paramsEntry = f.entry('params');
      const params = paramsEntry === undefined ? undefined : this.appParams(app, paramsEntry, [role, 'params']);
      if (paramsEntry !== undefined && params === undefined) return undefined;
      return {
        setup: { firmware: { kind: 'app', app, params: params ?? {} }, environment },
        app: {
          name: app,
          offset: appEntry.value.offset,
          ...(params !== undefined && { params, paramsOffset: paramsEntry!.keyOffset }),
        },
      };
    }
    if (kind === 'module') {
      const firmware = this.module(f, role);
      return firmware === undefined ? undefined : { setup: { firmware, environment } };
    }
    const stepsEntry = f.entry('steps')!;
    const steps = this.steps(stepsEntry, role, environment, census);
    return steps === undefined ? undefined : { setup: { firmware: steps, environment } };
  }

  private module(f: Fields, role: Role): Firmware | undefined {
    const node = f.get('module')!;
    const given = this.string(node, f.at('module'), 'a path to a .ts or .js file');
    const exportNode = f.get('export');
    const exportName = exportNode === undefined ? role : this.string(exportNode, f.at('export'), 'an export name');
    let ok = exportName !== undefined;
    if (exportName !== undefined && !/^[A-Za-z_$][\w$]*$/.test(exportName)) {
      this.error(exportNode!.offset, f.at('export'), `expected an export name (a JavaScript identifier), got "${exportName}"`);
      ok = false;
    }
    if (given === undefined) return undefined;
    const path = resolve(dirname(this.file), given);
    if (!MODULE_EXTENSIONS.includes(extname(given))) {
      this.error(node.offset, f.at('module'), `a firmware module is a .ts or .js file, got "${given}"`);
      ok = false;
    } else if (!existsSync(path) || !statSync(path).isFile()) {
      this.error(node.offset, f.at('module'), `no file "${given}"`, `module paths are relative to the scenario file's folder (${dirname(this.file)})`);
      ok = false;
    }
    return ok ? { kind: 'module', path, export: exportName! } : undefined;
  }

  private appParams(app: AppName, entry: Entry, path: Path): Record<string, unknown> | undefined {
    const specs = APPS[app];
    const where = `${app}'s params`;
    const f = this.fields(entry.value, path, where, entry.keyOffset, specs.map((s) => s.key), specs.filter((s) => s.required).map((s) => s.key));
    if (f === undefined) return undefined;
    const params: Record<string, unknown> = {};
    let ok = true;
    for (const spec of specs) {
      const node = f.get(spec.key);
      if (node === undefined) continue;
      const value = this.paramValue(spec, node, f.at(spec.key));
      if (value === undefined) ok = false;
      else params[spec.option] = value;
    }
    return ok && specs.every((s) => !s.required || f.get(s.key) !== undefined) ? params : undefined;
  }

  private paramValue(spec: ParamSpec, node: LNode, path: Path): unknown {
    switch (spec.kind) {
      case 'count':
        return this.whole(node, path, spec.min?.value ?? 1);
      case 'cycles':
        return this.whole(node, path, 0, Number.MAX_SAFE_INTEGER, 'cycles of the core that runs this part of the app');
      case 'size': {
        const v = this.size(node, path);
        if (v !== undefined && spec.min !== undefined && v < spec.min.value) {
          this.error(node.offset, path, `${spec.key} must be at least ${spec.min.value}B (${spec.min.why}), got ${describeNode(node)}`);
          return undefined;
        }
        return v;
      }
      case 'flag':
        return this.flag(node, path);
      case 'address':
        return this.address(node, path);
      case 'ns-name':
        return this.nsName(node, path);
      case 'strings':
      case 'ns-names': {
        if (node.kind !== 'seq' || node.items.length === 0) {
          this.error(node.offset, path, `expected a list of ${spec.kind === 'strings' ? 'strings' : 'names'} (at least one), got ${node.kind === 'seq' ? 'an empty list' : describeNode(node)}`);
          return undefined;
        }
        const items = node.items.map((item, i) => (spec.kind === 'strings' ? this.string(item, [...path, i]) : this.nsName(item, [...path, i])));
        return items.every((s) => s !== undefined) ? items : undefined;
      }
    }
  }

  /** Both halves of an app run from one options object: given once, or the same on both cores. */
  private pairApps(master: CoreRead, remote: CoreRead): void {
    const m = master.app;
    const r = remote.app;
    if (m !== undefined && r !== undefined && m.name !== r.name) {
      this.error(r.offset, ['remote', 'app'], `the remote runs ${r.name} but the master runs ${m.name}`, "an app's two halves run together: name the same app on both cores, or give one core steps");
      return;
    }
    for (const [role, side, other] of [['master', m, r], ['remote', r, m]] as const) {
      if (side === undefined || side.params !== undefined) continue;
      if (other !== undefined && other.params !== undefined) continue;
      const required = APPS[side.name].filter((s) => s.required).map((s) => s.key);
      this.error(side.offset, [role, 'app'], `${side.name} needs params: ${required.join(', ')}`, other !== undefined ? 'give them on either core' : undefined);
      if (other !== undefined) return; // one message for the pair
    }
    if (m?.params !== undefined && r?.params !== undefined && !sameJson(m.params, r.params)) {
      this.error(r.paramsOffset!, ['remote', 'params'], `the remote's params differ from the master's`, `both halves of ${r.name} share one set of params; give them on one core`);
      return;
    }
    const shared = m?.params ?? r?.params;
    if (shared === undefined) return;
    for (const side of [master, remote]) {
      if (side.app !== undefined && side.setup.firmware.kind === 'app') side.setup.firmware.params = shared;
    }
  }

  // -- steps --

  private steps(entry: Entry, role: Role, environment: CoreSetup['environment'], census: EndpointCensus): Firmware | undefined {
    const path: Path = [role, 'steps'];
    const node = entry.value;
    if (node.kind !== 'seq' || node.items.length === 0) {
      this.error(node.offset, path, `expected a list of steps, got ${node.kind === 'seq' ? 'an empty list' : describeNode(node)}`, 'e.g. steps: [init, {create-endpoint: {name: ept}}]');
      return undefined;
    }
    const state: StepState = { role, environment, census, endpoints: new Map(), initAt: undefined, nsBindAt: undefined, initReported: false };
    const steps: Step[] = [];
    const locations: SourceLocation[] = [];
    let ok = true;
    node.items.forEach((item, i) => {
      const step = this.step(item, [...path, i], state);
      if (step === undefined) ok = false;
      else {
        steps.push(step);
        locations.push(this.location(item.offset));
      }
    });
    return ok ? { kind: 'steps', steps, stepLocations: locations } : undefined;
  }

  private step(item: LNode, path: Path, state: StepState): Step | undefined {
    let kindName: string;
    let kindOffset = item.offset;
    let body: LNode | undefined;
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      kindName = item.value;
    } else if (item.kind === 'map' && item.entries.length === 1) {
      kindName = item.entries[0]!.key;
      kindOffset = item.entries[0]!.keyOffset;
      body = item.entries[0]!.value;
    } else if (item.kind === 'map' && item.entries.length > 1) {
      const keys = item.entries.map((e) => e.key);
      const first = item.entries[0]!;
      const misindented = first.value.kind === 'scalar' && first.value.value === null;
      this.error(
        item.offset,
        path,
        `a step is a map with one key, the step's name; this one has ${keys.length}: ${keys.join(', ')}`,
        misindented ? `indent the fields of "${first.key}" under it` : 'write each step as its own list item',
      );
      return undefined;
    } else {
      this.error(item.offset, path, `expected a step like "- init" or "- send: {…}", got ${describeNode(item)}`);
      return undefined;
    }
    if (!(STEP_KINDS as string[]).includes(kindName)) {
      this.error(kindOffset, path, `unknown step "${kindName}"`, suggestionNote(kindName, STEP_KINDS, 'steps:'));
      return undefined;
    }
    const kind = kindName as StepKind;
    const spec = STEPS[kind];
    const at = [...path, kind];
    const where = `the ${kind} step`;

    // The body: a map of fields, nothing, or the shorthand scalar.
    let fields: Fields | undefined;
    const empty = body === undefined || (body.kind === 'scalar' && body.value === null);
    if (empty) {
      if (spec.required.length > 0) {
        this.error(kindOffset, at, `${where} needs ${spec.required.join(' and ')}`, `e.g. - ${kind}: {${spec.required.map((k) => `${k}: …`).join(', ')}}`);
        return undefined;
      }
      fields = new Fields({ kind: 'map', offset: kindOffset, entries: [] }, at, where, kindOffset);
    } else if (body!.kind === 'scalar' && spec.shorthand !== undefined) {
      fields = new Fields({ kind: 'map', offset: body!.offset, entries: [{ key: spec.shorthand, keyOffset: body!.offset, value: body! }] }, at, where, kindOffset);
    } else {
      fields = this.fields(body!, at, where, kindOffset, spec.fields, spec.required);
    }
    if (fields === undefined) return undefined;
    if (spec.required.some((k) => fields!.get(k) === undefined)) return undefined;

    if (!STEPS_WITHOUT_INIT.has(kind) && state.initAt === undefined) {
      if (!state.initReported) {
        this.error(kindOffset, at, `${kind} before init: rpmsg-lite is not initialised yet`, `add "- init" before this step in the ${state.role}'s steps`);
        state.initReported = true;
      }
      return undefined;
    }
    return this.stepOf(kind, fields, kindOffset, state);
  }

  private stepOf(kind: StepKind, f: Fields, kindOffset: number, state: StepState): Step | undefined {
    switch (kind) {
      case 'init': {
        if (state.initAt !== undefined) {
          this.error(kindOffset, f.path, `init again: the ${state.role} is already initialised at line ${this.lineOf(state.initAt)}`);
          return undefined;
        }
        state.initAt = kindOffset;
        return { kind };
      }
      case 'create-endpoint': {
        const nameNode = f.get('name')!;
        const name = this.string(nameNode, f.at('name'), 'an endpoint name');
        if (name !== undefined && !ENDPOINT_NAME.test(name)) {
          this.error(nameNode.offset, f.at('name'), `an endpoint name is a letter or _ followed by letters, digits, _ or -, got "${name}"`);
          return undefined;
        }
        const addrNode = f.get('addr');
        const addr = addrNode === undefined || (addrNode.kind === 'scalar' && addrNode.value === 'any') ? 'any' : this.address(addrNode, f.at('addr'));
        const onReceiveNode = f.get('on-receive');
        const onReceive = onReceiveNode === undefined ? 'release' : this.choice(onReceiveNode, f.at('on-receive'), ON_RECEIVE, 'on-receive action');
        if (name === undefined || addr === undefined || onReceive === undefined) return undefined;
        const existing = state.endpoints.get(name);
        if (existing !== undefined && existing.destroyedAt === undefined) {
          this.error(nameNode.offset, f.at('name'), `endpoint "${name}" is already defined at line ${this.lineOf(existing.offset)}`);
          return undefined;
        }
        if (onReceive === 'queue' && state.environment !== 'rtos') {
          this.error(onReceiveNode!.offset, f.at('on-receive'), `on-receive: queue needs environment: rtos on the ${state.role} (it is ${state.environment})`, 'rpmsg_queue blocks a task until a message arrives');
          return undefined;
        }
        state.endpoints.set(name, { onReceive, offset: nameNode.offset });
        return { kind, name, addr, onReceive };
      }
      case 'destroy-endpoint': {
        const endpoint = this.endpoint(f, 'endpoint', state);
        if (endpoint === undefined) return undefined;
        state.endpoints.get(endpoint)!.destroyedAt = kindOffset;
        return { kind, endpoint };
      }
      case 'wait-link-up': {
        const timeoutMs = this.timeout(f.get('timeout'), f.at('timeout'));
        return timeoutMs === undefined ? undefined : { kind, timeoutMs };
      }
      case 'send':
      case 'send-nocopy': {
        const from = this.endpoint(f, 'from', state);
        const to = this.destination(f, state);
        const sizeNode = f.get('size');
        const size = sizeNode === undefined ? undefined : this.size(sizeNode, f.at('size'));
        const dataNode = f.get('data');
        const data = dataNode === undefined ? undefined : this.string(dataNode, f.at('data'), 'text to send');
        if (kind === 'send' && sizeNode === undefined && dataNode === undefined) {
          this.error(kindOffset, f.path, 'the send step needs size or data', 'size: 64B sends 64 bytes of a pattern; data: "hello" sends that text');
          return undefined;
        }
        if (sizeNode !== undefined && dataNode !== undefined) {
          this.error(dataNode.offset, f.at('data'), 'give size or data, not both', 'the size of data is its length in UTF-8 bytes');
          return undefined;
        }
        const repeatNode = f.get('repeat');
        const repeat = repeatNode === undefined ? 1 : this.whole(repeatNode, f.at('repeat'), 1);
        const intervalNode = f.get('interval');
        const interval = intervalNode === undefined ? undefined : this.duration(intervalNode, f.at('interval'));
        const timeoutMs = this.timeout(f.get('timeout'), f.at('timeout'));
        if (from === undefined || to === undefined || repeat === undefined || timeoutMs === undefined) return undefined;
        if ((sizeNode !== undefined && size === undefined) || (dataNode !== undefined && data === undefined)) return undefined;
        if (intervalNode !== undefined && interval === undefined) return undefined;
        const timing = { repeat, ...(interval !== undefined && { interval }), timeoutMs };
        if (kind === 'send-nocopy') return { kind, from, to, size: size!, ...timing };
        return { kind, from, to, ...(size !== undefined && { size }), ...(data !== undefined && { data }), ...timing };
      }
      case 'receive': {
        const endpoint = this.endpoint(f, 'endpoint', state);
        const countNode = f.get('count');
        const count = countNode === undefined ? 1 : this.whole(countNode, f.at('count'), 1);
        const timeoutNode = f.get('timeout');
        const timeout = timeoutNode === undefined ? undefined : this.duration(timeoutNode, f.at('timeout'));
        if (endpoint === undefined || count === undefined || (timeoutNode !== undefined && timeout === undefined)) return undefined;
        return { kind, endpoint, count, ...(timeout !== undefined && { timeout }) };
      }
      case 'queue-receive': {
        if (state.environment !== 'rtos') {
          this.error(kindOffset, f.path, `queue-receive needs environment: rtos on the ${state.role} (it is ${state.environment})`, 'rpmsg_queue_recv blocks a task until a message arrives');
          return undefined;
        }
        const endpoint = this.endpoint(f, 'endpoint', state, 'queue');
        const countNode = f.get('count');
        const count = countNode === undefined ? 1 : this.whole(countNode, f.at('count'), 1);
        const timeoutMs = this.timeout(f.get('timeout'), f.at('timeout'));
        if (endpoint === undefined || count === undefined || timeoutMs === undefined) return undefined;
        return { kind, endpoint, count, timeoutMs };
      }
      case 'release': {
        const endpoint = this.endpoint(f, 'endpoint', state, 'hold');
        const countNode = f.get('count');
        const count =
          countNode === undefined || (countNode.kind === 'scalar' && countNode.value === 'all') ? 'all' : this.whole(countNode, f.at('count'), 1);
        if (endpoint === undefined || count === undefined) return undefined;
        return { kind, endpoint, count };
      }
      case 'ns-bind': {
        if (state.nsBindAt !== undefined) {
          this.error(kindOffset, f.path, `ns-bind again: the ${state.role} already binds the name service at line ${this.lineOf(state.nsBindAt)}`);
          return undefined;
        }
        state.nsBindAt = kindOffset;
        return { kind };
      }
      case 'ns-announce': {
        const endpoint = this.endpoint(f, 'endpoint', state);
        const name = this.nsName(f.get('name')!, f.at('name'));
        const flagsNode = f.get('flags');
        const flags = flagsNode === undefined ? 'create' : this.choice(flagsNode, f.at('flags'), NS_FLAGS, 'flag');
        if (endpoint === undefined || name === undefined || flags === undefined) return undefined;
        return { kind, endpoint, name, flags };
      }
      case 'delay': {
        const duration = this.duration(f.get('duration')!, f.at('duration'));
        return duration === undefined ? undefined : { kind, duration };
      }
      case 'compute': {
        const cycles = this.whole(f.get('cycles')!, f.at('cycles'), 0, Number.MAX_SAFE_INTEGER, `cycles of the ${state.role}'s clock`);
        return cycles === undefined ? undefined : { kind, cycles };
      }
      case 'mark': {
        const label = this.string(f.get('label')!, f.at('label'), 'a label');
        return label === undefined ? undefined : { kind, label };
      }
    }
  }

  /** An endpoint reference: created earlier in this core's steps, not destroyed, of the needed kind. */
  private endpoint(f: Fields, key: string, state: StepState, needs?: 'hold' | 'queue'): string | undefined {
    const node = f.get(key);
    if (node === undefined) return undefined;
    const path = f.at(key);
    const name = this.string(node, path, 'an endpoint name');
    if (name === undefined) return undefined;
    const info = state.endpoints.get(name);
    if (info === undefined) {
      const laterAt = state.census[state.role].get(name);
      const other: Role = state.role === 'master' ? 'remote' : 'master';
      // Created earlier by a step that had errors of its own: already reported there.
      if (laterAt !== undefined && laterAt < node.offset) return undefined;
      if (laterAt !== undefined) {
        this.error(node.offset, path, `endpoint "${name}" is used before it is defined`, `it is created at line ${this.lineOf(laterAt)}; steps run in order`);
      } else if (state.census[other].has(name)) {
        this.error(node.offset, path, `endpoint "${name}" is not defined in the ${state.role}'s steps`, `"${name}" is the ${other}'s; each core's steps name their own endpoints`);
      } else {
        const known = [...state.endpoints.keys()];
        const hint = didYouMean(name, known);
        this.error(
          node.offset,
          path,
          `endpoint "${name}" is not defined`,
          hint !== undefined ? `did you mean "${hint}"?` : `create it first: - create-endpoint: {name: ${name}}`,
        );
      }
      return undefined;
    }
    if (info.destroyedAt !== undefined) {
      this.error(node.offset, path, `endpoint "${name}" was destroyed at line ${this.lineOf(info.destroyedAt)}`);
      return undefined;
    }
    if (needs !== undefined && info.onReceive !== needs) {
      const what = needs === 'hold' ? 'release needs an endpoint that holds its messages' : 'queue-receive needs a queue endpoint';
      this.error(node.offset, path, `${what}; "${name}" has on-receive: ${info.onReceive}`, `create it with on-receive: ${needs} (line ${this.lineOf(info.offset)})`);
      return undefined;
    }
    return name;
  }

  /** `to`: an address, or "ns:<name>" learnt through the name service (needs ns-bind before). */
  private destination(f: Fields, state: StepState): number | string | undefined {
    const node = f.get('to');
    if (node === undefined) return undefined;
    const path = f.at('to');
    if (node.kind === 'scalar' && typeof node.value === 'string') {
      const ns = /^ns:(.+)$/.exec(node.value);
      if (ns === null) {
        const other: Role = state.role === 'master' ? 'remote' : 'master';
        const isPeerEndpoint = state.census[other].has(node.value);
        this.error(
          node.offset,
          path,
          `expected an endpoint address or "ns:<name>", got "${node.value}"`,
          isPeerEndpoint ? `"${node.value}" is an endpoint of the ${other}: use its address, or the name it announces as ns:<name>` : undefined,
        );
        return undefined;
      }
      if (state.nsBindAt === undefined) {
        this.error(node.offset, path, `"${node.value}" needs an ns-bind step earlier in the ${state.role}'s steps`, 'announcements are only recorded after rpmsg_ns_bind');
        return undefined;
      }
      return node.value;
    }
    return this.address(node, path);
  }

  // -- stop, expect, trace --

  private stop(entry: Entry): Scenario['stop'] | undefined {
    const f = this.fields(entry.value, ['stop'], 'stop', entry.keyOffset, STOP_KEYS);
    if (f === undefined) return undefined;
    const timeNode = f.get('time');
    const messagesNode = f.get('messages');
    if (timeNode === undefined && messagesNode === undefined) {
      this.error(entry.keyOffset, ['stop'], 'stop needs time, messages or both', 'e.g. stop: {time: 10ms}');
      return undefined;
    }
    let time = timeNode === undefined ? undefined : this.duration(timeNode, f.at('time'));
    if (time !== undefined && ('ns' in time ? time.ns : time.cycles) === 0) {
      this.error(timeNode!.offset, f.at('time'), 'the stop time must be more than 0');
      time = undefined;
    }
    const messages = messagesNode === undefined ? undefined : this.whole(messagesNode, f.at('messages'), 1);
    if ((timeNode !== undefined && time === undefined) || (messagesNode !== undefined && messages === undefined)) return undefined;
    return { ...(time !== undefined && { time }), ...(messages !== undefined && { messages }) };
  }

  private expect(entry: Entry): Expectations | undefined {
    const f = this.fields(entry.value, ['expect'], 'expect', entry.keyOffset, EXPECT_KEYS);
    if (f === undefined) return undefined;
    const out: Expectations = {};
    let ok = true;

    const messagesEntry = f.entry('messages');
    if (messagesEntry !== undefined) {
      const m = this.fields(messagesEntry.value, f.at('messages'), 'expect.messages', messagesEntry.keyOffset, MESSAGE_COUNT_KEYS);
      if (m === undefined) ok = false;
      else {
        const counts: NonNullable<Expectations['messages']> = {};
        const names = { delivered: 'delivered', 'master-to-remote': 'masterToRemote', 'remote-to-master': 'remoteToMaster' } as const;
        for (const key of MESSAGE_COUNT_KEYS) {
          const node = m.get(key);
          if (node === undefined) continue;
          const v = this.whole(node, m.at(key));
          if (v === undefined) ok = false;
          else counts[names[key]] = v;
        }
        out.messages = counts;
      }
    }

    const codesEntry = f.entry('codes');
    if (codesEntry !== undefined) {
      const node = codesEntry.value;
      if (node.kind !== 'map') {
        this.error(node.offset, f.at('codes'), `expected a map of return codes to counts, got ${describeNode(node)}`, 'e.g. codes: {RL_SUCCESS: 10, RL_ERR_NO_MEM: 1}');
        ok = false;
      } else {
        const codes: Record<string, number> = {};
        for (const { key, keyOffset, value } of node.entries) {
          if (!CODE_NAMES.includes(key)) {
            this.error(keyOffset, [...f.at('codes'), key], `unknown return code "${key}"`, suggestionNote(key, CODE_NAMES, 'codes:'));
            ok = false;
            continue;
          }
          const v = this.whole(value, [...f.at('codes'), key]);
          if (v === undefined) ok = false;
          else codes[key] = v;
        }
        out.codes = codes;
      }
    }

    const latencyEntry = f.entry('latency');
    if (latencyEntry !== undefined) {
      const l = this.fields(latencyEntry.value, f.at('latency'), 'expect.latency', latencyEntry.keyOffset, LATENCY_KEYS);
      if (l === undefined) ok = false;
      else {
        const latency: NonNullable<Expectations['latency']> = {};
        for (const [key, name] of [['one-way', 'oneWay'], ['send-return', 'sendReturn']] as const) {
          const e = l.entry(key);
          if (e === undefined) continue;
          const stats = this.fields(e.value, l.at(key), `expect.latency.${key}`, e.keyOffset, LATENCY_STATS);
          if (stats === undefined) {
            ok = false;
            continue;
          }
          const bounds: Partial<Record<(typeof LATENCY_STATS)[number], Bound>> = {};
          for (const stat of LATENCY_STATS) {
            const se = stats.entry(stat);
            if (se === undefined) continue;
            const bound = this.bound(se, stats.at(stat), `expect.latency.${key}.${stat}`);
            if (bound === undefined) ok = false;
            else bounds[stat] = bound;
          }
          latency[name] = bounds;
        }
        out.latency = latency;
      }
    }

    const linkEntry = f.entry('link-up');
    if (linkEntry !== undefined) {
      const l = this.fields(linkEntry.value, f.at('link-up'), 'expect.link-up', linkEntry.keyOffset, ROLES);
      if (l === undefined) ok = false;
      else {
        const linkUp: NonNullable<Expectations['linkUp']> = {};
        for (const role of ROLES) {
          const node = l.get(role);
          if (node === undefined) continue;
          const v = this.flag(node, l.at(role));
          if (v === undefined) ok = false;
          else linkUp[role] = v;
        }
        out.linkUp = linkUp;
      }
    }
    return ok ? out : undefined;
  }

  private bound(entry: Entry, path: Path, where: string): Bound | undefined {
    const f = this.fields(entry.value, path, where, entry.keyOffset, BOUND_KEYS);
    if (f === undefined) return undefined;
    const lowNode = f.get('at-least');
    const highNode = f.get('at-most');
    if (lowNode === undefined && highNode === undefined) {
      this.error(entry.keyOffset, path, `${where} needs at-least, at-most or both`, `e.g. ${entry.key}: {at-most: 5us}`);
      return undefined;
    }
    const min = lowNode === undefined ? undefined : this.duration(lowNode, f.at('at-least'));
    const max = highNode === undefined ? undefined : this.duration(highNode, f.at('at-most'));
    if ((lowNode !== undefined && min === undefined) || (highNode !== undefined && max === undefined)) return undefined;
    if (min !== undefined && max !== undefined) {
      const comparable = 'ns' in min && 'ns' in max ? [min.ns, max.ns] : 'cycles' in min && 'cycles' in max && min.core === max.core ? [min.cycles, max.cycles] : null;
      if (comparable !== null && comparable[0]! > comparable[1]!) {
        this.error(lowNode!.offset, f.at('at-least'), 'at-least is more than at-most: no value can pass');
        return undefined;
      }
    }
    return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
  }

  private trace(entry: Entry): Scenario['trace'] | undefined {
    const f = this.fields(entry.value, ['trace'], 'trace', entry.keyOffset, TRACE_KEYS);
    if (f === undefined) return undefined;
    const node = f.get('kinds');
    if (node === undefined) return {};
    if (node.kind !== 'seq' || node.items.length === 0) {
      this.error(node.offset, f.at('kinds'), `expected a list of record kinds, got ${node.kind === 'seq' ? 'an empty list' : describeNode(node)}`, `kinds: ${RECORD_KINDS.join(', ')}`);
      return undefined;
    }
    const kinds: string[] = [];
    let ok = true;
    node.items.forEach((item, i) => {
      const kind = this.choice(item, [...f.at('kinds'), i], RECORD_KINDS, 'record kind');
      if (kind === undefined) ok = false;
      else if (kinds.includes(kind)) {
        this.error(item.offset, [...f.at('kinds'), i], `record kind "${kind}" is listed twice`);
        ok = false;
      } else kinds.push(kind);
    });
    return ok ? { kinds } : undefined;
  }
}

/** A core as read, with what pairing the two halves of an app needs. */
interface CoreRead {
  setup: CoreSetup;
  app?: { name: AppName; offset: number; params?: Record<string, unknown>; paramsOffset?: number };
}

interface StepState {
  role: Role;
  environment: CoreSetup['environment'];
  census: EndpointCensus;
  endpoints: Map<string, EndpointInfo>;
  initAt: number | undefined;
  nsBindAt: number | undefined;
  /** "before init" is said once per core, not at every step after. */
  initReported: boolean;
}

// ---- helpers -----------------------------------------------------------------------------------

/** Endpoint names a core's steps create, with the offset of the first creation. */
function endpointCensus(core: LNode | undefined): Map<string, number> {
  const names = new Map<string, number>();
  const steps = core?.kind === 'map' ? core.entries.find((e) => e.key === 'steps')?.value : undefined;
  if (steps?.kind !== 'seq') return names;
  for (const item of steps.items) {
    if (item.kind !== 'map' || item.entries.length !== 1 || item.entries[0]!.key !== 'create-endpoint') continue;
    const body = item.entries[0]!.value;
    const name = body.kind === 'map' ? body.entries.find((e) => e.key === 'name')?.value : undefined;
    if (name?.kind === 'scalar' && typeof name.value === 'string' && !names.has(name.value)) names.set(name.value, name.offset);
  }
  return names;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** "did you mean …?" for a near miss, else the list of valid words (after `lead`), else nothing. */
function suggestionNote(word: string, candidates: readonly string[], lead?: string): string | undefined {
  const near = didYouMean(word, candidates);
  if (near !== undefined) return `did you mean "${near}"?`;
  return lead === undefined ? undefined : `${lead} ${candidates.join(', ')}`;
}

