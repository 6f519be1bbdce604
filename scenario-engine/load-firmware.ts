// A core's section (docs/scenario-format.md "`master` and `remote`"): its environment and its firmware,
// one of a built-in app with its params (read from the app's declaration in
// firmware/apps/registry.ts), steps (load-steps.ts) or a module file; and the pairing of an
// app's two halves, which share one params object.

import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { ParamSpec, RegisteredApp } from '../firmware/apps/declaration';
import { APP_NAMES, type AppName, appNamed } from '../firmware/apps/registry';
import { DEFAULT_ENVIRONMENT, environmentNamed } from '../firmware/env/registry';
import { platformEntry } from '../platforms/registry';
import { type EndpointCensus, StepsReader } from './load-steps';
import type { Reader } from './read-values';
import type { CoreSetup, Firmware, Role } from './types';
import { CORE, CORE_KEYS, ENVIRONMENTS, EXPORT_NAME, FIRMWARE_KINDS, MODULE_EXTENSIONS } from './vocabulary';
import { type Entry, type Fields, type LNode, type Path, describeNode } from './yaml-tree';

/** A core as read, with what pairing the two halves of an app needs. */
export interface CoreRead {
  setup: CoreSetup;
  /** The `costs:` entry, checked by the loader once the core's type is known. */
  costs?: Entry;
  app?: { name: AppName; offset: number; params?: Record<string, unknown>; paramsOffset?: number };
}

/**
 * The largest size an app's parameter may give, 16 MiB: an app builds each message in memory
 * before rpmsg-lite refuses or sends it. An assumption, far above any buffer of the shipped
 * platforms (RL_BUFFER_PAYLOAD_SIZE 496 B by default); 2^53 B made an array no engine holds.
 */
const MAX_APP_SIZE = 16 * 1024 * 1024;

export class CoreReader {
  private readonly steps: StepsReader;

  constructor(private readonly r: Reader) {
    this.steps = new StepsReader(r);
  }

  read(entry: Entry, role: Role, census: EndpointCensus): CoreRead | undefined {
    const f = this.r.fields(entry.value, [role], role, entry.keyOffset, CORE_KEYS);
    if (f === undefined) return undefined;
    const environmentNode = f.get('environment');
    const chosen = environmentNode === undefined ? DEFAULT_ENVIRONMENT : this.r.choice(environmentNode, f.at('environment'), ENVIRONMENTS, 'environment');
    const environment = chosen !== undefined && environmentNode !== undefined ? this.portFor(chosen, environmentNode, f.at('environment')) : chosen;

    const kinds = FIRMWARE_KINDS.filter((k) => f.entry(k) !== undefined);
    if (kinds.length === 0) {
      this.r.error(entry.keyOffset, [role], `${role} needs one of app, steps or module`, 'app: a built-in app; steps: a list of rpmsg-lite calls; module: your own firmware file');
      return undefined;
    }
    for (const extra of kinds.slice(1)) {
      const first = f.entry(kinds[0]!)!;
      this.r.error(
        f.entry(extra)!.keyOffset,
        f.at(extra),
        `${role} has both ${kinds[0]} (${this.r.placeOf(first.keyOffset)}) and ${extra}; give one of app, steps or module`,
      );
    }
    const kind = kinds[0]!;
    if (kind !== 'app' && f.entry('params') !== undefined) {
      this.r.error(f.entry('params')!.keyOffset, f.at('params'), 'params belong to an app; this core has no app');
    }
    if (kind !== 'module' && f.entry('export') !== undefined) {
      this.r.error(f.entry('export')!.keyOffset, f.at('export'), 'export names a program of a module; this core has no module');
    }
    const optNode = f.get('opt');
    const opt = optNode === undefined ? undefined : this.r.choice(optNode, f.at('opt'), CORE.opt.enum, 'opt');
    const libcNode = f.get('libc');
    const libc = libcNode === undefined ? undefined : this.r.choice(libcNode, f.at('libc'), CORE.libc.enum, 'libc');
    if (environment === undefined || kinds.length > 1) return undefined;
    if ((optNode !== undefined && opt === undefined) || (libcNode !== undefined && libc === undefined)) return undefined;
    const costs = f.entry('costs');
    const build = opt === undefined && libc === undefined ? undefined : { ...(opt !== undefined && { opt }), ...(libc !== undefined && { libc }) };
    const withCosts = (read: CoreRead | undefined): CoreRead | undefined => {
      if (read === undefined) return read;
      const withBuild = build === undefined ? read : { ...read, setup: { ...read.setup, build } };
      return costs === undefined ? withBuild : { ...withBuild, costs };
    };
    return withCosts(this.firmware(f, kind, role, environment, census));
  }

  /** An environment whose platform files the platform has (rpmsg-lite has no Zephyr port for every SoC). */
  private portFor(environment: CoreSetup['environment'], node: LNode, path: Path): CoreSetup['environment'] | undefined {
    const platform = this.r.platform;
    const variant = environmentNamed(environment).platformPort;
    if (platform === undefined || variant === undefined || platformEntry(platform).ports?.[variant] !== undefined) return environment;
    const usable = ENVIRONMENTS.filter((e) => {
      const v = environmentNamed(e).platformPort;
      return v === undefined || platformEntry(platform).ports?.[v] !== undefined;
    });
    this.r.error(node.offset, path, `rpmsg-lite has no ${variant} platform port for ${platform}, so ${environment} cannot run there`, `environments on ${platform}: ${usable.join(', ')}`);
    return undefined;
  }

  private firmware(f: Fields, kind: (typeof FIRMWARE_KINDS)[number], role: Role, environment: CoreSetup['environment'], census: EndpointCensus): CoreRead | undefined {

    if (kind === 'app') {
      const appEntry = f.entry('app')!;
      const app = this.r.choice(appEntry.value, f.at('app'), APP_NAMES, 'app');
      if (app === undefined) return undefined;
      const paramsEntry = f.entry('params');
      const params = paramsEntry === undefined ? undefined : this.appParams(appNamed(app), paramsEntry, [role, 'params']);
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
    const steps = this.steps.read(stepsEntry, role, environment, census);
    return steps === undefined ? undefined : { setup: { firmware: steps, environment } };
  }

  private module(f: Fields, role: Role): Firmware | undefined {
    const node = f.get('module')!;
    const given = this.r.string(node, f.at('module'), 'a path to a .ts or .js file');
    const exportNode = f.get('export');
    const exportName = exportNode === undefined ? role : this.r.string(exportNode, f.at('export'), 'an export name');
    let ok = exportName !== undefined;
    if (exportName !== undefined && !EXPORT_NAME.test(exportName)) {
      this.r.error(exportNode!.offset, f.at('export'), `expected an export name (a JavaScript identifier), got "${exportName}"`);
      ok = false;
    }
    if (given === undefined) return undefined;
    const path = resolve(dirname(this.r.file), given);
    if (!MODULE_EXTENSIONS.includes(extname(given))) {
      this.r.error(node.offset, f.at('module'), `a firmware module is a .ts or .js file, got "${given}"`);
      ok = false;
    } else if (!existsSync(path) || !statSync(path).isFile()) {
      this.r.error(node.offset, f.at('module'), `no file "${given}"`, `module paths are relative to the scenario file's folder (${dirname(this.r.file)})`);
      ok = false;
    }
    if (!ok) return undefined;
    const at = this.r.location(node.offset);
    return { kind: 'module', path, export: exportName!, at: { module: at, export: exportNode === undefined ? at : this.r.location(exportNode.offset) } };
  }

  private appParams(app: RegisteredApp, entry: Entry, path: Path): Record<string, unknown> | undefined {
    const specs = app.params;
    const where = `${app.name}'s params`;
    const f = this.r.fields(entry.value, path, where, entry.keyOffset, specs.map((s) => s.key), specs.filter((s) => s.required).map((s) => s.key));
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
        return this.r.whole(node, path, spec.min?.value ?? 1, Number.MAX_SAFE_INTEGER, spec.min?.why);
      case 'cycles':
        return this.r.whole(node, path, 0, Number.MAX_SAFE_INTEGER, 'cycles of the core that runs this part of the app');
      case 'size': {
        const v = this.r.size(node, path);
        if (v !== undefined && spec.min !== undefined && v < spec.min.value) {
          this.r.error(node.offset, path, `${spec.key} must be at least ${spec.min.value}B (${spec.min.why}), got ${describeNode(node)}`);
          return undefined;
        }
        if (v !== undefined && v > MAX_APP_SIZE) {
          this.r.error(node.offset, path, `${spec.key} must be at most ${MAX_APP_SIZE}B (16 MiB: an app builds each message in memory), got ${describeNode(node)}`);
          return undefined;
        }
        return v;
      }
      case 'flag':
        return this.r.flag(node, path);
      case 'address':
        return this.r.address(node, path);
      case 'ns-name':
        return this.r.nsName(node, path);
      case 'strings':
      case 'ns-names': {
        if (node.kind !== 'seq' || node.items.length === 0) {
          this.r.error(node.offset, path, `expected a list of ${spec.kind === 'strings' ? 'strings' : 'names'} (at least one), got ${node.kind === 'seq' ? 'an empty list' : describeNode(node)}`);
          return undefined;
        }
        const items = node.items.map((item, i) => (spec.kind === 'strings' ? this.r.string(item, [...path, i]) : this.r.nsName(item, [...path, i])));
        return items.every((s) => s !== undefined) ? items : undefined;
      }
      default:
        // Every kind has a case above; a new kind in firmware/apps/declaration.ts fails tsc here.
        return spec.kind satisfies never;
    }
  }

  /** Both halves of an app run from one options object: given once, or the same on both cores. */
  pairApps(master: CoreRead, remote: CoreRead): void {
    const m = master.app;
    const r = remote.app;
    if (m !== undefined && r !== undefined && m.name !== r.name) {
      this.r.error(r.offset, ['remote', 'app'], `the remote runs ${r.name} but the master runs ${m.name}`, "an app's two halves run together: name the same app on both cores, or give one core steps");
      return;
    }
    for (const [role, side, other] of [['master', m, r], ['remote', r, m]] as const) {
      if (side === undefined || side.params !== undefined) continue;
      if (other !== undefined && other.params !== undefined) continue;
      const required = appNamed(side.name).params.filter((s) => s.required).map((s) => s.key);
      this.r.error(side.offset, [role, 'app'], `${side.name} needs params: ${required.join(', ')}`, other !== undefined ? 'give them on either core' : undefined);
      if (other !== undefined) return; // one message for the pair
    }
    if (m?.params !== undefined && r?.params !== undefined && !sameJson(m.params, r.params)) {
      this.r.error(r.paramsOffset!, ['remote', 'params'], `the remote's params differ from the master's`, `both halves of ${r.name} share one set of params; give them on one core`);
      return;
    }
    const shared = m?.params ?? r?.params;
    if (shared === undefined) return;
    for (const side of [master, remote]) {
      if (side.app !== undefined && side.setup.firmware.kind === 'app') side.setup.firmware.params = shared;
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
