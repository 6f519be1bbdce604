// A core's `steps:` (docs/scenario-format.md "Steps"): each step's fields, and the order
// rules the interpreter (firmware/steps) relies on: init before rpmsg-lite calls, endpoints
// created before use and of the kind a step needs, ns-bind before a send to ns:<name>.

import { ENVIRONMENT_NAMES, environmentNamed } from '../firmware/env/registry';
import type { CoreSetup, Firmware, Role, SourceLocation, Step } from './types';
import { type Reader, suggestionNote } from './read-values';
import { ENDPOINT_NAME, NS_FLAGS, ON_RECEIVE, STEPS, STEPS_WITHOUT_INIT, STEP_KINDS, type StepKind } from './vocabulary';
import { type Entry, Fields, type LNode, type Path, describeNode } from './yaml-tree';

/** The environments that have message queues (rpmsg_queue needs one). */
const QUEUE_ENVIRONMENTS = ENVIRONMENT_NAMES.filter((n) => environmentNamed(n).queues).join(' or ');

interface EndpointInfo {
  onReceive: (typeof ON_RECEIVE)[number];
  offset: number;
  destroyedAt?: number;
}

/** What the steps of both cores create, found before reading them (for "defined later" notes). */
export type EndpointCensus = Record<Role, Map<string, number>>;

/** Endpoint names a core's steps create, with the offset of the first creation. */
export function endpointCensus(core: LNode | undefined): Map<string, number> {
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

export class StepsReader {
  constructor(private readonly r: Reader) {}

  read(entry: Entry, role: Role, environment: CoreSetup['environment'], census: EndpointCensus): Firmware | undefined {
    const path: Path = [role, 'steps'];
    const node = entry.value;
    if (node.kind !== 'seq' || node.items.length === 0) {
      this.r.error(node.offset, path, `expected a list of steps, got ${node.kind === 'seq' ? 'an empty list' : describeNode(node)}`, 'e.g. steps: [init, {create-endpoint: {name: ept}}]');
      return undefined;
    }
    const state: StepState = { role, core: this.r.coreOf(role), environment, census, endpoints: new Map(), initAt: undefined, nsBindAt: undefined, initReported: false };
    const steps: Step[] = [];
    const locations: SourceLocation[] = [];
    let ok = true;
    node.items.forEach((item, i) => {
      const step = this.step(item, [...path, i], state);
      if (step === undefined) ok = false;
      else {
        steps.push(step);
        locations.push(this.r.location(item.offset));
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
      this.r.error(
        item.offset,
        path,
        `a step is a map with one key, the step's name; this one has ${keys.length}: ${keys.join(', ')}`,
        misindented ? `indent the fields of "${first.key}" under it` : 'write each step as its own list item',
      );
      return undefined;
    } else {
      this.r.error(item.offset, path, `expected a step like "- init" or "- send: {…}", got ${describeNode(item)}`);
      return undefined;
    }
    if (!(STEP_KINDS as string[]).includes(kindName)) {
      this.r.error(kindOffset, path, `unknown step "${kindName}"`, suggestionNote(kindName, STEP_KINDS, 'steps:'));
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
        this.r.error(kindOffset, at, `${where} needs ${spec.required.join(' and ')}`, `e.g. - ${kind}: {${spec.required.map((k) => `${k}: …`).join(', ')}}`);
        return undefined;
      }
      fields = new Fields({ kind: 'map', offset: kindOffset, entries: [] }, at, where, kindOffset);
    } else if (body!.kind === 'scalar' && spec.shorthand !== undefined) {
      fields = new Fields({ kind: 'map', offset: body!.offset, entries: [{ key: spec.shorthand, keyOffset: body!.offset, value: body! }] }, at, where, kindOffset);
    } else {
      fields = this.r.fields(body!, at, where, kindOffset, Object.keys(spec.fields), spec.required);
    }
    if (fields === undefined) return undefined;
    if (spec.required.some((k) => fields!.get(k) === undefined)) return undefined;

    if (!STEPS_WITHOUT_INIT.has(kind) && state.initAt === undefined) {
      if (!state.initReported) {
        this.r.error(kindOffset, at, `${kind} before init: rpmsg-lite is not initialised yet`, `add "- init" before this step in the ${state.role}'s steps`);
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
          this.r.error(kindOffset, f.path, `init again: the ${state.role} is already initialised at ${this.r.placeOf(state.initAt)}`);
          return undefined;
        }
        state.initAt = kindOffset;
        return { kind };
      }
      case 'create-endpoint': {
        const nameNode = f.get('name')!;
        const name = this.r.string(nameNode, f.at('name'), 'an endpoint name');
        if (name !== undefined && !ENDPOINT_NAME.test(name)) {
          this.r.error(nameNode.offset, f.at('name'), `an endpoint name is a letter or _ followed by letters, digits, _ or -, got "${name}"`);
          return undefined;
        }
        const addrNode = f.get('addr');
        const addr = addrNode === undefined || (addrNode.kind === 'scalar' && addrNode.value === 'any') ? 'any' : this.r.address(addrNode, f.at('addr'));
        const onReceiveNode = f.get('on-receive');
        const onReceive = onReceiveNode === undefined ? 'release' : this.r.choice(onReceiveNode, f.at('on-receive'), ON_RECEIVE, 'on-receive action');
        if (name === undefined || addr === undefined || onReceive === undefined) return undefined;
        const existing = state.endpoints.get(name);
        if (existing !== undefined && existing.destroyedAt === undefined) {
          this.r.error(nameNode.offset, f.at('name'), `endpoint "${name}" is already defined at ${this.r.placeOf(existing.offset)}`);
          return undefined;
        }
        if (onReceive === 'queue' && !environmentNamed(state.environment).queues) {
          this.r.error(onReceiveNode!.offset, f.at('on-receive'), `on-receive: queue needs environment: ${QUEUE_ENVIRONMENTS} on the ${state.role} (it is ${state.environment})`, 'rpmsg_queue blocks a task until a message arrives');
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
        const timeoutMs = this.r.timeout(f.get('timeout'), f.at('timeout'));
        return timeoutMs === undefined ? undefined : { kind, timeoutMs };
      }
      case 'send':
      case 'send-nocopy': {
        const from = this.endpoint(f, 'from', state);
        const to = this.destination(f, state);
        const sizeNode = f.get('size');
        const size = sizeNode === undefined ? undefined : this.r.size(sizeNode, f.at('size'));
        const dataNode = f.get('data');
        const data = dataNode === undefined ? undefined : this.r.string(dataNode, f.at('data'), 'text to send');
        if (kind === 'send' && sizeNode === undefined && dataNode === undefined) {
          this.r.error(kindOffset, f.path, 'the send step needs size or data', 'size: 64B sends 64 bytes of a pattern; data: "hello" sends that text');
          return undefined;
        }
        if (sizeNode !== undefined && dataNode !== undefined) {
          this.r.error(dataNode.offset, f.at('data'), 'give size or data, not both', 'the size of data is its length in UTF-8 bytes');
          return undefined;
        }
        const repeatNode = f.get('repeat');
        const repeat = repeatNode === undefined ? 1 : this.r.whole(repeatNode, f.at('repeat'), 1);
        const intervalNode = f.get('interval');
        const interval = intervalNode === undefined ? undefined : this.r.duration(intervalNode, f.at('interval'));
        const timeoutMs = this.r.timeout(f.get('timeout'), f.at('timeout'));
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
        const count = countNode === undefined ? 1 : this.r.whole(countNode, f.at('count'), 1);
        const timeoutNode = f.get('timeout');
        const timeout = timeoutNode === undefined ? undefined : this.r.duration(timeoutNode, f.at('timeout'));
        if (endpoint === undefined || count === undefined || (timeoutNode !== undefined && timeout === undefined)) return undefined;
        return { kind, endpoint, count, ...(timeout !== undefined && { timeout }) };
      }
      case 'queue-receive': {
        if (!environmentNamed(state.environment).queues) {
          this.r.error(kindOffset, f.path, `queue-receive needs environment: ${QUEUE_ENVIRONMENTS} on the ${state.role} (it is ${state.environment})`, 'rpmsg_queue_recv blocks a task until a message arrives');
          return undefined;
        }
        const endpoint = this.endpoint(f, 'endpoint', state, 'queue');
        const countNode = f.get('count');
        const count = countNode === undefined ? 1 : this.r.whole(countNode, f.at('count'), 1);
        const timeoutMs = this.r.timeout(f.get('timeout'), f.at('timeout'));
        if (endpoint === undefined || count === undefined || timeoutMs === undefined) return undefined;
        return { kind, endpoint, count, timeoutMs };
      }
      case 'release': {
        const endpoint = this.endpoint(f, 'endpoint', state, 'hold');
        const countNode = f.get('count');
        const count =
          countNode === undefined || (countNode.kind === 'scalar' && countNode.value === 'all') ? 'all' : this.r.whole(countNode, f.at('count'), 1);
        if (endpoint === undefined || count === undefined) return undefined;
        return { kind, endpoint, count };
      }
      case 'ns-bind': {
        if (state.nsBindAt !== undefined) {
          this.r.error(kindOffset, f.path, `ns-bind again: the ${state.role} already binds the name service at ${this.r.placeOf(state.nsBindAt)}`);
          return undefined;
        }
        state.nsBindAt = kindOffset;
        return { kind };
      }
      case 'ns-announce': {
        const endpoint = this.endpoint(f, 'endpoint', state);
        const name = this.r.nsName(f.get('name')!, f.at('name'));
        const flagsNode = f.get('flags');
        const flags = flagsNode === undefined ? 'create' : this.r.choice(flagsNode, f.at('flags'), NS_FLAGS, 'flag');
        if (endpoint === undefined || name === undefined || flags === undefined) return undefined;
        return { kind, endpoint, name, flags };
      }
      case 'delay':
      case 'sleep': {
        const duration = this.r.duration(f.get('duration')!, f.at('duration'));
        return duration === undefined ? undefined : { kind, duration };
      }
      case 'compute': {
        const cycles = this.r.whole(f.get('cycles')!, f.at('cycles'), 0, Number.MAX_SAFE_INTEGER, `cycles of the ${state.role}'s clock`);
        return cycles === undefined ? undefined : { kind, cycles };
      }
      case 'mark': {
        const label = this.r.string(f.get('label')!, f.at('label'), 'a label');
        return label === undefined ? undefined : { kind, label };
      }
      case 'pin-high':
      case 'pin-low': {
        const node = f.get('pin');
        if (node === undefined) return { kind };
        const pin = this.r.pin(node, f.at('pin'), state.core);
        return pin === undefined ? undefined : { kind, pin };
      }
    }
  }

  /** An endpoint reference: created earlier in this core's steps, not destroyed, of the needed kind. */
  private endpoint(f: Fields, key: string, state: StepState, needs?: 'hold' | 'queue'): string | undefined {
    const node = f.get(key);
    if (node === undefined) return undefined;
    const path = f.at(key);
    const name = this.r.string(node, path, 'an endpoint name');
    if (name === undefined) return undefined;
    const info = state.endpoints.get(name);
    if (info === undefined) {
      const laterAt = state.census[state.role].get(name);
      const other: Role = state.role === 'master' ? 'remote' : 'master';
      // Created earlier by a step that had errors of its own: already reported there.
      if (laterAt !== undefined && laterAt < node.offset) return undefined;
      if (laterAt !== undefined) {
        this.r.error(node.offset, path, `endpoint "${name}" is used before it is defined`, `it is created at ${this.r.placeOf(laterAt)}; steps run in order`);
      } else if (state.census[other].has(name)) {
        this.r.error(node.offset, path, `endpoint "${name}" is not defined in the ${state.role}'s steps`, `"${name}" is the ${other}'s; each core's steps name their own endpoints`);
      } else {
        const note = suggestionNote(name, [...state.endpoints.keys()]) ?? `create it first: - create-endpoint: {name: ${name}}`;
        this.r.error(node.offset, path, `endpoint "${name}" is not defined`, note);
      }
      return undefined;
    }
    if (info.destroyedAt !== undefined) {
      this.r.error(node.offset, path, `endpoint "${name}" was destroyed at ${this.r.placeOf(info.destroyedAt)}`);
      return undefined;
    }
    if (needs !== undefined && info.onReceive !== needs) {
      const what = needs === 'hold' ? 'release needs an endpoint that holds its messages' : 'queue-receive needs a queue endpoint';
      this.r.error(node.offset, path, `${what}; "${name}" has on-receive: ${info.onReceive}`, `create it with on-receive: ${needs} (${this.r.placeOf(info.offset)})`);
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
        this.r.error(
          node.offset,
          path,
          `expected an endpoint address or "ns:<name>", got "${node.value}"`,
          isPeerEndpoint ? `"${node.value}" is an endpoint of the ${other}: use its address, or the name it announces as ns:<name>` : undefined,
        );
        return undefined;
      }
      if (state.nsBindAt === undefined) {
        this.r.error(node.offset, path, `"${node.value}" needs an ns-bind step earlier in the ${state.role}'s steps`, 'announcements are only recorded after rpmsg_ns_bind');
        return undefined;
      }
      return node.value;
    }
    return this.r.address(node, path);
  }
}

interface StepState {
  role: Role;
  /** The core's name on the platform, when known (for the pins it can drive). */
  core: string | undefined;
  environment: CoreSetup['environment'];
  census: EndpointCensus;
  endpoints: Map<string, EndpointInfo>;
  initAt: number | undefined;
  nsBindAt: number | undefined;
  /** "before init" is said once per core, not at every step after. */
  initReported: boolean;
}
