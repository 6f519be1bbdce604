// Scenario files (docs/scenario-format.md): YAML text in, a validated `Scenario` (types.ts)
// in base units out — or every problem of the file at once, each as data located at the
// node that is wrong. User mistakes are collected, never thrown; an exception from here is
// a bug.
//
// The parts: yaml-tree.ts (the located tree and error positions), vocabulary.ts (the keys
// and steps, with their schema), read-values.ts (maps and values in units), this file (the
// top level, overrides, rpmsg, stop, expect, trace), load-firmware.ts (a core: app params,
// module) and load-steps.ts (a core's steps).

import { basename } from 'node:path';
import { coreCosts } from '../firmware/costs/registry';
import { type CostPath, costValueProblem } from '../firmware/costs/table';
import { RL_MAX_BUFFER_COUNT, RL_MAX_VRING_ALIGN } from '../firmware/rpmsg-lite/constants';
import { DEFAULT_PLATFORM, listPlatforms, loadPlatform } from '../platforms/registry';
import { PlatformConfigError, overrideUnit } from '../platforms/description/load';
import { ConfigError } from '../sim/kernel';
import { closestWords } from '../sim/text/did-you-mean';
import { checkFeasibility } from './feasibility';
import { CoreReader } from './load-firmware';
import { type EndpointCensus, endpointCensus } from './load-steps';
import { Reader, suggestionNote } from './read-values';
import type { Bound, Expectations, PinEdge, PinInterval, Placement, Role, RpmsgSettings, Scenario, ScenarioError } from './types';
import { parseFrequency } from './units';
import { type Fault, type FaultExpectations, readFaultExpectations, readFaults } from './faults';
import {
  BOUND_KEYS,
  CODE_NAMES,
  EXPECT_KEYS,
  LATENCY_KEYS,
  LATENCY_STATS,
  MESSAGE_COUNT_KEYS,
  PIN_EDGES,
  PIN_EDGE_KEYS,
  PIN_INTERVAL_BOUND_KEYS,
  PIN_INTERVAL_KEYS,
  RECORD_KINDS,
  CORE_PLACEMENT_KEYS,
  PLACEMENT_KEYS,
  ROLES,
  RPMSG_KEYS,
  SHARED_MAPPINGS,
  STOP_KEYS,
  TOP_KEYS,
  TOP_REQUIRED,
  TRACE_KEYS,
} from './vocabulary';
import { type Entry, type LNode, type MapNode, type Path, ScenarioText, type SettingSource, describeNode } from './yaml-tree';

export type { ScenarioError } from './types';
export { formatErrors } from './yaml-tree';

/** Parses and validates a scenario (with `--set` arguments applied, files.ts parseSettings); `errors` lists every problem found, sorted by position. */
export function loadScenario(file: string, text: string, settings: readonly SettingSource[] = []): { scenario?: Scenario; errors: ScenarioError[] } {
  const source = new ScenarioText(file, text, settings);
  const root = source.parse();
  // Problems found while building the tree (duplicate keys, …) are local: go on validating.
  const scenario = root === undefined ? undefined : new Loader(new Reader(source)).scenario(root);
  // What a run would refuse of a scenario that reads well (feasibility.ts).
  if (scenario !== undefined && source.errorCount === 0) checkFeasibility(scenario, root!, (offset, path, message, note) => source.error(offset, path, message, note));
  const errors = source.sortedErrors();
  if (errors.length > 0 || scenario === undefined) return { errors };
  return { scenario, errors };
}

class Loader {
  private readonly cores: CoreReader;

  constructor(private readonly r: Reader) {
    this.cores = new CoreReader(r);
  }

  scenario(root: LNode): Scenario | undefined {
    const top = this.r.fields(root, [], 'the scenario', root.offset, TOP_KEYS, TOP_REQUIRED);
    if (top === undefined) return undefined;

    const nameNode = top.get('name');
    const name = nameNode === undefined ? basename(this.r.file).replace(/\.ya?ml$/i, '') : this.r.string(nameNode, top.at('name'));
    const descriptionNode = top.get('description');
    const description = descriptionNode === undefined ? undefined : this.r.string(descriptionNode, top.at('description'));

    // The platform first: durations in cycles anywhere are checked against its cores.
    const platformNode = top.get('platform');
    const platform = platformNode === undefined ? DEFAULT_PLATFORM : this.r.choice(platformNode, top.at('platform'), listPlatforms(), 'platform');
    if (platform !== undefined) {
      const p = loadPlatform(platform);
      const drives = (c: (typeof p.cores)[number]) => p.cores.filter((o) => c.addressMap.some((w) => w.target === p.gpio.pins[o.name]?.block)).map((o) => o.name);
      this.r.usePlatform(platform, p.cores.map((c) => c.name), new Map(p.cores.map((c) => [c.name, drives(c)])));
    }

    const overridesEntry = top.entry('overrides');
    const given = overridesEntry === undefined ? {} : this.overrides(overridesEntry, platform);
    const placementEntry = top.entry('placement');
    const placed = placementEntry === undefined ? undefined : this.placement(placementEntry, platform, given);
    const overrides = placementEntry === undefined ? given : placed?.overrides;
    const placement = placed?.placement;
    const rpmsgEntry = top.entry('rpmsg');
    const rpmsg = rpmsgEntry === undefined ? {} : this.rpmsg(rpmsgEntry);

    const census: EndpointCensus = { master: endpointCensus(top.get('master')), remote: endpointCensus(top.get('remote')) };
    const masterEntry = top.entry('master');
    const remoteEntry = top.entry('remote');
    const master = masterEntry === undefined ? undefined : this.cores.read(masterEntry, 'master', census);
    const remote = remoteEntry === undefined ? undefined : this.cores.read(remoteEntry, 'remote', census);
    if (master !== undefined && remote !== undefined) this.cores.pairApps(master, remote);
    for (const [role, core] of [['master', master], ['remote', remote]] as const) {
      if (core?.costs === undefined || platform === undefined || overrides === undefined) continue;
      const costs = this.costs(core.costs, role, platform, overrides, core.setup.build ?? {});
      if (costs !== undefined) core.setup.costs = costs;
    }

    const stopEntry = top.entry('stop');
    const stop = stopEntry === undefined ? undefined : this.stop(stopEntry);
    const intervalsEntry = top.entry('pin-intervals');
    const pinIntervals = intervalsEntry === undefined ? {} : this.pinIntervals(intervalsEntry);
    const expectEntry = top.entry('expect');
    const expect = expectEntry === undefined ? {} : this.expect(expectEntry, pinIntervals ?? {}, intervalsEntry !== undefined && pinIntervals === undefined);
    const traceEntry = top.entry('trace');
    const trace = traceEntry === undefined ? undefined : this.trace(traceEntry);
    const faultsNode = top.get('faults');
    const faults: Fault[] | undefined = faultsNode === undefined ? [] : readFaults(this.r, faultsNode, ['faults']);

    if (this.r.errorCount > 0) return undefined;
    if (name === undefined || platform === undefined || overrides === undefined || rpmsg === undefined) return undefined;
    if (master === undefined || remote === undefined || stop === undefined || expect === undefined || pinIntervals === undefined) return undefined;
    if (faults === undefined) return undefined;
    return {
      file: this.r.file,
      name,
      ...(description !== undefined && { description }),
      platform,
      overrides,
      rpmsg,
      ...(placement !== undefined && { placement }),
      master: master.setup,
      remote: remote.setup,
      stop,
      ...(Object.keys(pinIntervals).length > 0 && { pinIntervals }),
      expect,
      ...(faults.length > 0 && { faults }),
      ...(trace !== undefined && { trace }),
    };
  }

  // -- platform overrides --

  private overrides(entry: Entry, platform: string | undefined): Record<string, number | string> | undefined {
    const path: Path = ['overrides'];
    const node = entry.value;
    if (node.kind !== 'map') {
      this.r.error(node.offset, path, `expected a map of platform settings (dotted path: value), got ${describeNode(node)}`, 'e.g. clocks.cm4: 200MHz');
      return undefined;
    }
    const values: Record<string, number | string> = {};
    let ok = true;
    for (const { key, value } of node.entries) {
      const converted = this.overrideValue(key, value, [...path, key]);
      if (converted === undefined) ok = false;
      // Defined, not assigned: a key "__proto__" is an own (unknown) setting, not the prototype.
      else Object.defineProperty(values, key, { value: converted, enumerable: true, writable: true, configurable: true });
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

  /** Values with units become base units here, as the platform declares the parameter's unit; the platform loader checks the rest. */
  private overrideValue(key: string, node: LNode, path: Path): number | string | undefined {
    const unit = overrideUnit(key);
    if (unit === 'hz') {
      const result = parseFrequency(node.kind === 'scalar' ? node.value : {});
      return result.ok ? result.value : this.r.failed(node, path, result);
    }
    if (unit === 'bytes') return this.r.size(node, path);
    if (node.kind === 'scalar' && (typeof node.value === 'number' || typeof node.value === 'string')) return node.value;
    // A yes/no parameter (a cache's `enabled`): the platform loader takes "true" / "false".
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return String(node.value);
    this.r.error(node.offset, path, `expected a number, a string or true/false, got ${describeNode(node)}`);
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
      this.r.error(entry.keyOffset, ['overrides', entry.key], `${platform} has no setting "${entry.key}"`, unknown[1]);
    } else if (entry !== undefined) {
      this.r.error(entry.value.offset, ['overrides', entry.key], `platform ${platform}: ${issuePath}: ${message}`);
    } else {
      this.r.error(sectionOffset, ['overrides'], `platform ${platform}${issuePath === '' ? '' : `: ${issuePath}`}: ${message}`, 'the overrides together leave the platform invalid');
    }
  }

  // -- cost tables --

  /** A core's `costs:` overrides, each checked against the table of the core's type (after the platform overrides). */
  private costs(entry: Entry, role: Role, platform: string, overrides: Record<string, number | string>, setupBuild: { opt?: string; libc?: string }): Record<string, number> | undefined {
    const path: Path = [role, 'costs'];
    const node = entry.value;
    if (node.kind !== 'map') {
      this.r.error(node.offset, path, `expected a map of costs (path: value), got ${describeNode(node)}`, 'e.g. rl.sendMaster: 160');
      return undefined;
    }
    const core = loadPlatform(platform, overrides).cores[role === 'master' ? 0 : 1];
    const table = coreCosts(core.type, setupBuild).entries;
    const paths: string[] = [...table.keys()];
    const values: Record<string, number> = {};
    let ok = true;
    for (const { key, keyOffset, value } of node.entries) {
      const costEntry = table.get(key as CostPath);
      if (costEntry === undefined) {
        const note = suggestionNote(key, paths) ?? `nearest paths: ${closestWords(key, paths, 3).join(', ')}`;
        this.r.error(keyOffset, [...path, key], `no cost "${key}" in the table of ${core.name} (${core.type})`, note);
        ok = false;
        continue;
      }
      if (value.kind !== 'scalar' || typeof value.value !== 'number') {
        this.r.error(value.offset, [...path, key], `expected a number (in the entry's unit), got ${describeNode(value)}`);
        ok = false;
        continue;
      }
      const problem = costValueProblem(costEntry, value.value);
      if (problem !== undefined) {
        this.r.error(value.offset, [...path, key], `${key}: ${problem}`);
        ok = false;
      } else {
        values[key] = value.value;
      }
    }
    return ok ? values : undefined;
  }

  // -- placement --

  /**
   * `placement:` per role. `code` and `data` — the regions the core's code and private data
   * sit in — become the platform overrides `cores.<core>.placement.code|data`, after those of
   * `overrides:` (so both ways reach one setting, and `platforms NAME` shows what was
   * chosen); `shared: cacheable` needs an enabled data cache on that core.
   */
  private placement(
    entry: Entry,
    platform: string | undefined,
    given: Record<string, number | string> | undefined,
  ): { overrides: Record<string, number | string> | undefined; placement: Placement } | undefined {
    const f = this.r.fields(entry.value, ['placement'], 'placement', entry.keyOffset, PLACEMENT_KEYS);
    if (f === undefined) return undefined;
    const placement: Placement = {};
    // The platform as the overrides leave it; not judged when they failed.
    const cores = platform === undefined || given === undefined ? undefined : loadPlatform(platform, given).cores;
    const overrides = given === undefined ? undefined : { ...given };
    let ok = true;
    ROLES.forEach((role, i) => {
      const node = f.get(role);
      if (node === undefined) return;
      const g = this.r.fields(node, f.at(role), `placement.${role}`, node.offset, CORE_PLACEMENT_KEYS);
      if (g === undefined) {
        ok = false;
        return;
      }
      const core = cores?.[i];
      for (const what of ['code', 'data'] as const) {
        const value = g.get(what);
        if (value === undefined || core === undefined) continue;
        const region = this.r.choice(value, g.at(what), Object.keys(core.regions), `region of ${core.name} (${platform})`);
        if (region === undefined) ok = false;
        else if (overrides !== undefined) {
          const key = `cores.${core.name}.placement.${what}`;
          overrides[key] = region;
          // What the platform says of the region in this use (private data in read-only flash), at the value.
          const problem = placementProblem(platform!, overrides, key);
          if (problem !== undefined) {
            this.r.error(value.offset, g.at(what), problem);
            ok = false;
          }
        }
      }
      const sharedNode = g.get('shared');
      if (sharedNode === undefined) return;
      const shared = this.r.choice(sharedNode, g.at('shared'), SHARED_MAPPINGS, 'mapping');
      if (shared === undefined) return;
      if (shared === 'cacheable' && core !== undefined && !core.caches.some((c) => c.kind === 'dcache' && c.enabled)) {
        this.r.error(sharedNode.offset, g.at('shared'), `${core.name} (${role}) on ${platform} has no data cache (or it is disabled), so its shared memory cannot be cacheable`);
        return;
      }
      placement[role] = { shared };
    });
    return { overrides: ok ? overrides : undefined, placement };
  }

  // -- rpmsg-lite configuration --

  private rpmsg(entry: Entry): RpmsgSettings | undefined {
    const f = this.r.fields(entry.value, ['rpmsg'], 'rpmsg', entry.keyOffset, RPMSG_KEYS);
    if (f === undefined) return undefined;
    const out: RpmsgSettings = {};
    const payload = f.get('buffer-payload-size');
    if (payload !== undefined) {
      const v = this.r.size(payload, f.at('buffer-payload-size'));
      if (v === 0) this.r.error(payload.offset, f.at('buffer-payload-size'), 'the buffer payload size must be more than 0B');
      else if (v !== undefined) out.bufferPayloadSize = v;
    }
    const count = f.get('buffer-count');
    if (count !== undefined) {
      const v = this.r.whole(count, f.at('buffer-count'), 1, RL_MAX_BUFFER_COUNT);
      if (v !== undefined && (v & (v - 1)) !== 0) {
        this.r.error(count.offset, f.at('buffer-count'), `the buffer count must be a power of two (RL_BUFFER_COUNT), got ${v}`);
      } else if (v !== undefined) out.bufferCount = v;
    }
    const align = f.get('vring-align');
    if (align !== undefined) {
      const v = this.r.size(align, f.at('vring-align'));
      if (v !== undefined && !(v > 0 && (v & (v - 1)) === 0 && v <= RL_MAX_VRING_ALIGN)) {
        this.r.error(align.offset, f.at('vring-align'), `VRING_ALIGN must be a power of two up to ${RL_MAX_VRING_ALIGN}B, got ${v}B`);
      } else if (v !== undefined) out.vringAlign = v;
    }
    const vringSize = f.get('vring-size');
    if (vringSize !== undefined) {
      const v = this.r.size(vringSize, f.at('vring-size'));
      if (v === 0) this.r.error(vringSize.offset, f.at('vring-size'), 'VRING_SIZE must be more than 0B');
      else if (v !== undefined) out.vringSize = v;
    }
    const interval = f.get('ms-per-interval');
    if (interval !== undefined) {
      const v = this.r.whole(interval, f.at('ms-per-interval'), 1);
      if (v !== undefined) out.msPerInterval = v;
    }
    const consumed = f.get('allow-consumed-buffers-notification');
    if (consumed !== undefined) {
      const v = this.r.flag(consumed, f.at('allow-consumed-buffers-notification'));
      if (v !== undefined) out.allowConsumedBuffersNotification = v;
    }
    const clear = f.get('clear-used-buffers');
    if (clear !== undefined) {
      const v = this.r.flag(clear, f.at('clear-used-buffers'));
      if (v !== undefined) out.clearUsedBuffers = v;
    }
    const dcache = f.get('use-dcache');
    if (dcache !== undefined) {
      const v = this.r.flag(dcache, f.at('use-dcache'));
      if (v !== undefined) out.useDcache = v;
    }
    return out;
  }

  // -- stop, expect, trace --

  private stop(entry: Entry): Scenario['stop'] | undefined {
    const f = this.r.fields(entry.value, ['stop'], 'stop', entry.keyOffset, STOP_KEYS);
    if (f === undefined) return undefined;
    const timeNode = f.get('time');
    const messagesNode = f.get('messages');
    if (timeNode === undefined && messagesNode === undefined) {
      this.r.error(entry.keyOffset, ['stop'], 'stop needs time, messages or both', 'e.g. stop: {time: 10ms}');
      return undefined;
    }
    let time = timeNode === undefined ? undefined : this.r.duration(timeNode, f.at('time'));
    if (time !== undefined && ('ns' in time ? time.ns : time.cycles) === 0) {
      this.r.error(timeNode!.offset, f.at('time'), 'the stop time must be more than 0');
      time = undefined;
    }
    const messages = messagesNode === undefined ? undefined : this.r.whole(messagesNode, f.at('messages'), 1);
    if ((timeNode !== undefined && time === undefined) || (messagesNode !== undefined && messages === undefined)) return undefined;
    return { ...(time !== undefined && { time }), ...(messages !== undefined && { messages }) };
  }

  private pinIntervals(entry: Entry): Record<string, PinInterval> | undefined {
    const node = entry.value;
    if (node.kind !== 'map' || node.entries.length === 0) {
      this.r.error(node.offset, ['pin-intervals'], `expected a map of named intervals, got ${node.kind === 'map' ? 'an empty map' : describeNode(node)}`, 'e.g. pin-intervals: {rx: {from: {pin: cm4, edge: rising}, to: {pin: cm4, edge: falling}}}');
      return undefined;
    }
    const out: Record<string, PinInterval> = {};
    let ok = true;
    for (const { key, keyOffset, value } of node.entries) {
      const path = ['pin-intervals', key];
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
        this.r.error(keyOffset, path, `"${key}" is not an interval name (letters, digits, _ and -, not starting with a digit)`);
        ok = false;
        continue;
      }
      const f = this.r.fields(value, path, `pin-intervals.${key}`, keyOffset, PIN_INTERVAL_KEYS, PIN_INTERVAL_KEYS);
      if (f === undefined) {
        ok = false;
        continue;
      }
      const from = this.pinEdge(f.entry('from'), f.at('from'), `pin-intervals.${key}.from`);
      const to = this.pinEdge(f.entry('to'), f.at('to'), `pin-intervals.${key}.to`);
      if (from === undefined || to === undefined) ok = false;
      else out[key] = { from, to };
    }
    return ok ? out : undefined;
  }

  private pinEdge(entry: Entry | undefined, path: Path, where: string): PinEdge | undefined {
    if (entry === undefined) return undefined;
    const f = this.r.fields(entry.value, path, where, entry.keyOffset, PIN_EDGE_KEYS, PIN_EDGE_KEYS);
    if (f === undefined) return undefined;
    // A missing pin or edge is reported by fields() (both are required).
    const pinNode = f.get('pin');
    const edgeNode = f.get('edge');
    const pin = pinNode === undefined ? undefined : this.r.pin(pinNode, f.at('pin'));
    const edge = edgeNode === undefined ? undefined : this.r.choice(edgeNode, f.at('edge'), PIN_EDGES, 'edge');
    return pin === undefined || edge === undefined ? undefined : { pin, edge };
  }

  private expect(entry: Entry, intervals: Readonly<Record<string, PinInterval>>, intervalsFailed: boolean): Expectations | undefined {
    const f = this.r.fields(entry.value, ['expect'], 'expect', entry.keyOffset, EXPECT_KEYS);
    if (f === undefined) return undefined;
    const out: Expectations = {};
    let ok = true;

    const messagesEntry = f.entry('messages');
    if (messagesEntry !== undefined) {
      const m = this.r.fields(messagesEntry.value, f.at('messages'), 'expect.messages', messagesEntry.keyOffset, MESSAGE_COUNT_KEYS);
      if (m === undefined) ok = false;
      else {
        const counts: NonNullable<Expectations['messages']> = {};
        const names = { delivered: 'delivered', 'master-to-remote': 'masterToRemote', 'remote-to-master': 'remoteToMaster' } as const;
        for (const key of MESSAGE_COUNT_KEYS) {
          const node = m.get(key);
          if (node === undefined) continue;
          const v = this.r.whole(node, m.at(key));
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
        this.r.error(node.offset, f.at('codes'), `expected a map of return codes to counts, got ${describeNode(node)}`, 'e.g. codes: {RL_SUCCESS: 10, RL_ERR_NO_MEM: 1}');
        ok = false;
      } else {
        const codes: Record<string, number> = {};
        for (const { key, keyOffset, value } of node.entries) {
          if (!CODE_NAMES.includes(key)) {
            this.r.error(keyOffset, [...f.at('codes'), key], `unknown return code "${key}"`, suggestionNote(key, CODE_NAMES, 'codes:'));
            ok = false;
            continue;
          }
          const v = this.r.whole(value, [...f.at('codes'), key]);
          if (v === undefined) ok = false;
          else codes[key] = v;
        }
        out.codes = codes;
      }
    }

    const latencyEntry = f.entry('latency');
    if (latencyEntry !== undefined) {
      const l = this.r.fields(latencyEntry.value, f.at('latency'), 'expect.latency', latencyEntry.keyOffset, LATENCY_KEYS);
      if (l === undefined) ok = false;
      else {
        const latency: NonNullable<Expectations['latency']> = {};
        for (const [key, name] of [['one-way', 'oneWay'], ['send-return', 'sendReturn']] as const) {
          const e = l.entry(key);
          if (e === undefined) continue;
          const stats = this.r.fields(e.value, l.at(key), `expect.latency.${key}`, e.keyOffset, LATENCY_STATS);
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

    const pinEntry = f.entry('pin-interval');
    if (pinEntry !== undefined) {
      const node = pinEntry.value;
      if (node.kind !== 'map') {
        this.r.error(node.offset, f.at('pin-interval'), `expected a map of interval names to bounds, got ${describeNode(node)}`, 'e.g. pin-interval: {rx: {max: {at-most: 2us}}}');
        ok = false;
      } else {
        const bounds: NonNullable<Expectations['pinInterval']> = {};
        for (const { key, keyOffset, value } of node.entries) {
          const path = [...f.at('pin-interval'), key];
          if (!Object.hasOwn(intervals, key)) {
            // intervals that failed to load were reported there
            if (!intervalsFailed) {
              const names = Object.keys(intervals);
              this.r.error(keyOffset, path, `no interval named "${key}" in pin-intervals`, suggestionNote(key, names) ?? (names.length > 0 ? `the intervals: ${names.join(', ')}` : 'define it under pin-intervals: first'));
            }
            ok = false;
            continue;
          }
          const b = this.r.fields(value, path, `expect.pin-interval.${key}`, keyOffset, PIN_INTERVAL_BOUND_KEYS);
          if (b === undefined) {
            ok = false;
            continue;
          }
          const one: NonNullable<Expectations['pinInterval']>[string] = { stats: {} };
          const countNode = b.get('count');
          if (countNode !== undefined) {
            const count = this.r.whole(countNode, b.at('count'));
            if (count === undefined) ok = false;
            else one.count = count;
          }
          for (const stat of LATENCY_STATS) {
            const se = b.entry(stat);
            if (se === undefined) continue;
            const bound = this.bound(se, b.at(stat), `expect.pin-interval.${key}.${stat}`);
            if (bound === undefined) ok = false;
            else one.stats[stat] = bound;
          }
          bounds[key] = one;
        }
        out.pinInterval = bounds;
      }
    }

    const linkEntry = f.entry('link-up');
    if (linkEntry !== undefined) {
      const l = this.r.fields(linkEntry.value, f.at('link-up'), 'expect.link-up', linkEntry.keyOffset, ROLES);
      if (l === undefined) ok = false;
      else {
        const linkUp: NonNullable<Expectations['linkUp']> = {};
        for (const role of ROLES) {
          const node = l.get(role);
          if (node === undefined) continue;
          const v = this.r.flag(node, l.at(role));
          if (v === undefined) ok = false;
          else linkUp[role] = v;
        }
        out.linkUp = linkUp;
      }
    }
    const underFaults: FaultExpectations = {};
    if (!readFaultExpectations(this.r, f, underFaults)) ok = false;
    if (Object.keys(underFaults).length > 0) out.faults = underFaults;
    return ok ? out : undefined;
  }

  private bound(entry: Entry, path: Path, where: string): Bound | undefined {
    const f = this.r.fields(entry.value, path, where, entry.keyOffset, BOUND_KEYS);
    if (f === undefined) return undefined;
    const lowNode = f.get('at-least');
    const highNode = f.get('at-most');
    if (lowNode === undefined && highNode === undefined) {
      this.r.error(entry.keyOffset, path, `${where} needs at-least, at-most or both`, `e.g. ${entry.key}: {at-most: 5us}`);
      return undefined;
    }
    const min = lowNode === undefined ? undefined : this.r.duration(lowNode, f.at('at-least'));
    const max = highNode === undefined ? undefined : this.r.duration(highNode, f.at('at-most'));
    if ((lowNode !== undefined && min === undefined) || (highNode !== undefined && max === undefined)) return undefined;
    if (min !== undefined && max !== undefined) {
      const comparable = 'ns' in min && 'ns' in max ? [min.ns, max.ns] : 'cycles' in min && 'cycles' in max && min.core === max.core ? [min.cycles, max.cycles] : null;
      if (comparable !== null && comparable[0]! > comparable[1]!) {
        this.r.error(lowNode!.offset, f.at('at-least'), 'at-least is more than at-most: no value can pass');
        return undefined;
      }
    }
    return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
  }

  private trace(entry: Entry): Scenario['trace'] | undefined {
    const f = this.r.fields(entry.value, ['trace'], 'trace', entry.keyOffset, TRACE_KEYS);
    if (f === undefined) return undefined;
    const node = f.get('kinds');
    if (node === undefined) return {};
    if (node.kind !== 'seq' || node.items.length === 0) {
      this.r.error(node.offset, f.at('kinds'), `expected a list of record kinds, got ${node.kind === 'seq' ? 'an empty list' : describeNode(node)}`, `kinds: ${RECORD_KINDS.join(', ')}`);
      return undefined;
    }
    const kinds: string[] = [];
    let ok = true;
    node.items.forEach((item, i) => {
      const kind = this.r.choice(item, [...f.at('kinds'), i], RECORD_KINDS, 'record kind');
      if (kind === undefined) ok = false;
      else if (kinds.includes(kind)) {
        this.r.error(item.offset, [...f.at('kinds'), i], `record kind "${kind}" is listed twice`);
        ok = false;
      } else kinds.push(kind);
    });
    return ok ? { kinds } : undefined;
  }
}

/** The platform's objection to the override `key` among `overrides`, if it has one about that setting. */
function placementProblem(platform: string, overrides: Record<string, number | string>, key: string): string | undefined {
  try {
    loadPlatform(platform, overrides);
  } catch (error) {
    if (!(error instanceof PlatformConfigError)) throw error;
    return error.issues.find((i) => i.path === key)?.message;
  }
  return undefined;
}
