// The scenario format's vocabulary (docs/scenario-format.md): each section's keys, the steps
// and their fields, the value types, each with the JSON Schema of its value and a
// description. The loader takes its key lists from here; schema.ts builds
// scenarios/schema.json from the same objects (`npm run schema`), so a key is declared once.
// The apps and their parameters come from firmware/apps/registry.ts.

import { OPT_LEVELS } from '../firmware/costs/builds';
import { LIBC_NAMES } from '../firmware/costs/libc';
import { SDK_DEFAULTS } from '../firmware/costs/registry';
import { RL_ERROR_NAMES, RL_MAX_BUFFER_COUNT, RL_MAX_VRING_ALIGN, RL_NS_NAME_SIZE } from '../firmware/rpmsg-lite/constants';
import { APP_NAMES } from '../firmware/apps/registry';
import type { ParamKind } from '../firmware/apps/declaration';
import { ROLES } from '../firmware/program';
import { DEFAULT_ENVIRONMENT, ENVIRONMENT_NAMES } from '../firmware/env/registry';
import { DEFAULT_PLATFORM, listPlatforms } from '../platforms/registry';
import type { RecordKind } from '../sim/trace/trace';
import type { Step } from './types';

/** A piece of JSON Schema (2020-12). */
export type Schema = Readonly<Record<string, unknown>>;

/** The keys of a section, in the order the schema and the messages list them. */
function keysOf<T extends object>(section: T): readonly (keyof T & string)[] {
  return Object.keys(section) as (keyof T & string)[];
}

// ---- values ----------------------------------------------------------------------------------

export const MAX_ADDRESS = 0xfffffffe; // RL_ADDR_ANY (0xFFFFFFFF) is not an address
export const ENDPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** A JavaScript identifier (ASCII). */
export const EXPORT_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const MODULE_EXTENSIONS = ['.ts', '.js'];

/** The value types sections refer to ($defs of the schema); the patterns follow units.ts. */
export const VALUE_TYPES = {
  duration: {
    type: 'string',
    description: "Whole nanoseconds with a unit (ns, us, ms, s: 10us, 2.5 ms) or cycles of a core's clock (3000 cycles@cm7).",
    pattern: '^\\s*(\\d+(\\.\\d+)?\\s*(ns|us|µs|ms|s)|\\d+\\s*cycles?\\s*@\\s*[A-Za-z_][A-Za-z0-9_-]*)\\s*$',
  },
  size: {
    description: 'Bytes: 64B, 4KiB, 1.5 KiB, 1MiB, or a plain whole number.',
    // if/then/else rather than oneOf: a wrong size gets the error of its own type only.
    if: { type: 'string' },
    then: { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(B|KiB|MiB|GiB)?\\s*$' },
    else: { type: 'integer', minimum: 0 },
  },
  timeout: {
    description: 'An rpmsg-lite timeout: whole milliseconds (10ms, 1s), 0 (do not wait) or block (RL_BLOCK). Default: block.',
    anyOf: [{ const: 0 }, { const: 'block' }, { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ns|us|µs|ms|s)\\s*$' }],
  },
  count: { type: 'integer', minimum: 1, description: 'A whole number, at least 1.' },
  tally: { type: 'integer', minimum: 0, description: 'A whole number of times or cycles, at least 0.' },
  address: { type: 'integer', minimum: 0, maximum: MAX_ADDRESS, description: 'An endpoint address.' },
  endpointName: {
    type: 'string',
    pattern: ENDPOINT_NAME.source,
    description: 'An endpoint created by an earlier create-endpoint step of the same core.',
  },
  nsName: {
    type: 'string',
    minLength: 1,
    maxLength: RL_NS_NAME_SIZE,
    description: `A name-service name: at most ${RL_NS_NAME_SIZE} bytes (RL_NS_NAME_SIZE).`,
  },
  pinName: {
    type: 'string',
    pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
    description: "A GPIO pin: a core's measuring pin, named after the core (rpmsg-sim platforms NAME shows each core's).",
  },
  destination: {
    description: 'An address, or ns:<name> for an endpoint announced under that name (needs an earlier ns-bind).',
    anyOf: [{ $ref: '#/$defs/address' }, { type: 'string', pattern: '^ns:.+$' }],
  },
} satisfies Record<string, Schema>;

/** The definitions of the schema (schema.ts): value types, sections, steps, apps' params. */
type Definition =
  | keyof typeof VALUE_TYPES
  | 'rpmsg'
  | 'placement'
  | 'corePlacement'
  | 'placementCore'
  | 'core'
  | 'stop'
  | 'expect'
  | 'latencyBounds'
  | 'bound'
  | 'pinEdge'
  | 'pinInterval'
  | 'pinIntervalBounds'
  | 'trace'
  | 'step'
  | `step-${string}`
  | `${string}Params`;

/** A reference to a value type or a section, with an optional description. */
export function ref(name: Definition, description?: string): Schema {
  return { $ref: `#/$defs/${name}`, ...(description !== undefined && { description }) };
}

const text: Schema = { type: 'string', minLength: 1 };

/** `required: [key]` for an `if`, `then` or `anyOf` branch: `properties` declares it there, as ajv's strict mode asks. */
function has(key: string): Schema {
  return { required: [key], properties: { [key]: true } };
}

/**
 * An object has exactly one of `keys`: at least one (anyOf), and once one is there a later one
 * is a key not allowed (if it has k, then the keys after k are false), so that two of them give
 * the error of the second, at its path, rather than a oneOf's error per alternative. Only
 * keywords of draft-07 as well, which editors' YAML support (yaml-language-server) validates
 * with; it knows no dependentSchemas.
 */
export function exactlyOne(keys: readonly string[]): { anyOf: Schema[]; allOf: Schema[] } {
  return {
    anyOf: keys.map(has),
    allOf: keys.slice(0, -1).map((k, i) => ({ if: has(k), then: { properties: Object.fromEntries(keys.slice(i + 1).map((o) => [o, false])) } })),
  };
}

/** If the object has `key`, it must have `needed` too (draft-07's if/then rather than dependentRequired). */
export function requires(key: string, needed: string): Schema {
  return { if: has(key), then: has(needed) };
}

/** How an app parameter of each kind is written (firmware/apps/declaration.ts ParamKinds). */
export const PARAM_KINDS: Readonly<Record<ParamKind, Schema>> = {
  count: ref('count'),
  size: ref('size'),
  cycles: ref('tally'),
  flag: { type: 'boolean' },
  address: ref('address'),
  'ns-name': ref('nsName'),
  'ns-names': { type: 'array', minItems: 1, items: ref('nsName') },
  strings: { type: 'array', minItems: 1, items: { ...text, description: 'A string.' } },
};

// ---- sections --------------------------------------------------------------------------------

export const TOP = {
  name: { ...text, description: 'Name in reports. Default: the file name without .yaml.' },
  description: { ...text, description: 'Free text for people.' },
  platform: { enum: listPlatforms(), description: `The SoC (platforms/). Default: ${DEFAULT_PLATFORM}.` },
  overrides: {
    type: 'object',
    description:
      'Platform values by dotted path (rpmsg-sim platforms NAME lists them): clocks.cm4: 200MHz, memories.ocram.readWaitStates: 1. Clocks take frequencies, sizes take sizes.',
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_#]*(\\.[A-Za-z0-9_#]+)+$' },
    additionalProperties: { description: 'A number, a string with a unit (200MHz, 4KiB) or a boolean.', anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }] },
  },
  rpmsg: ref('rpmsg'),
  placement: ref('placement'),
  master: ref('core', 'What the rpmsg-lite master core runs.'),
  remote: ref('core', 'What the rpmsg-lite remote core runs.'),
  stop: ref('stop'),
  'pin-intervals': {
    type: 'object',
    description:
      'Intervals between GPIO pin edges the summary measures, by name (a logic analyser\'s measurements): e.g. rx: {from: {pin: cm4, edge: rising}, to: {pin: cm4, edge: falling}}.',
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
    additionalProperties: ref('pinInterval', 'An interval: the edge that starts it (from) and the edge that ends it (to).'),
  },
  expect: ref('expect'),
  faults: {
    type: 'array',
    description:
      'Injected faults (docs/reliability.md "Faults"): each a kind (drop-doorbell, delay-doorbell, delay-interrupt, halt, late-boot, write, flip, hold-bus, skip-cache-maintenance), a trigger (at: a time, or on: {doorbell | interrupt | cache-op | message: N}) and its parameters.',
    items: {
      type: 'object',
      description: 'A fault: its kind, when it fires (at or on) and its parameters.',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: {
          description:
            'drop-doorbell: a doorbell is lost. delay-doorbell, delay-interrupt: it arrives late. halt: the core stops. reset: the core restarts after delay. late-boot: the core starts late. write, flip: a shared-memory word is overwritten or has bits flipped. hold-bus: a bus port is held busy. skip-cache-maintenance: a cache clean/invalidate is not done.',
          enum: ['drop-doorbell', 'delay-doorbell', 'delay-interrupt', 'halt', 'reset', 'late-boot', 'write', 'flip', 'hold-bus', 'skip-cache-maintenance'] },
        at: ref('duration', 'Fire at this simulated time (a gate kind: at the first event at or after it).'),
        on: {
          type: 'object',
          description: 'Fire at the Nth event: doorbell (to the core), interrupt (of the core), cache-op (of the core) or message (enqueued; from: master/remote counts one side).',
          additionalProperties: false,
          properties: { doorbell: { type: 'integer', minimum: 1, description: 'The Nth doorbell to the core.' }, interrupt: { type: 'integer', minimum: 1, description: 'The Nth interrupt of the core.' }, 'cache-op': { type: 'integer', minimum: 1, description: 'The Nth cache maintenance operation of the core.' }, message: { type: 'integer', minimum: 1, description: 'The Nth message enqueued.' }, from: { enum: ['master', 'remote'], description: 'message: count only the messages this side sends. Default: both.' } },
        },
        core: { type: 'string', description: 'The core: master, remote or its name.' },
        to: { type: 'string', description: 'The core whose interrupt the doorbell requests: master, remote or its name.' },
        count: { type: 'integer', minimum: 1, description: 'Gate kinds: how many events it acts on. Default 1.' },
        delay: ref('duration', 'How late (delay-doorbell, delay-interrupt), or how long in reset (reset).'),
        for: ref('duration', 'hold-bus: how long.'),
        interrupts: { type: 'boolean', description: 'halt: whether handlers still run (thread mode stops). Default false.' },
        field: { type: 'string', description: 'write/flip: vring1.avail.idx, vring0.desc[2].len, buf[3].hdr.len, msg.hdr.len (the triggering message).' },
        address: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'write/flip: the byte address of the word (instead of field).' },
        size: { enum: [1, 2, 4], description: 'write/flip at an address: the width in bytes. Default 4.' },
        value: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'write: the value written.' },
        bits: { type: 'integer', minimum: 1, maximum: 4294967295, description: 'flip: the mask of the bits inverted.' },
        port: { type: 'string', description: "hold-bus: a memory's port or peripheral-bus. Default the shared memory's." },
      },
    },
  },
  trace: ref('trace', 'What the golden trace of this scenario (scenarios/golden/) keeps.'),
} satisfies Record<string, Schema>;
export const TOP_KEYS = keysOf(TOP);
/** Top-level keys a scenario must have. */
export const TOP_REQUIRED = ['master', 'remote', 'stop'] as const satisfies readonly (keyof typeof TOP)[];

/** The environments of firmware/env/registry.ts. */
export const ENVIRONMENTS = ENVIRONMENT_NAMES;
export const CORE = {
  opt: { enum: OPT_LEVELS, description: `The compiler optimisation level of this core's build (firmware/costs builds.ts). Default: ${SDK_DEFAULTS.opt} (the MCUXpresso SDK armgcc release build).` },
  libc: { enum: LIBC_NAMES, description: `The libc this core's build links: its memcpy's cost and bus accesses (firmware/costs/libc.ts). Default: ${SDK_DEFAULTS.libc} (the SDK's --specs=nano.specs).` },
  environment: { enum: ENVIRONMENTS, description: `Default: ${DEFAULT_ENVIRONMENT}.` },
  app: { enum: APP_NAMES, description: 'A built-in app (firmware/apps).' },
  params: { type: 'object', description: "The app's parameters: on one core, or the same on both." },
  steps: { type: 'array', minItems: 1, items: ref('step'), description: 'rpmsg-lite calls in order.' },
  module: {
    type: 'string',
    pattern: `\\.(${MODULE_EXTENSIONS.map((e) => e.slice(1)).join('|')})$`,
    description: 'Your firmware: a .ts or .js file, relative to the scenario file.',
  },
  export: { type: 'string', pattern: EXPORT_NAME.source, description: "The module's export to run. Default: master or remote." },
  costs: {
    type: 'object',
    additionalProperties: { type: 'number', minimum: 0, description: "The entry's new value, in its unit (cycles, or cycles per byte)." },
    description:
      "Overrides of this core's cost table, by path (rl.sendMaster, port.notify, env.lockMutex, libc.memcpyPerByte, rtos.contextSwitch, cyclesPerInstruction), each in its entry's unit (firmware/costs).",
  },
} satisfies Record<string, Schema>;
export const CORE_KEYS = keysOf(CORE);
/** A core runs exactly one of these. */
export const FIRMWARE_KINDS = ['app', 'steps', 'module'] as const satisfies readonly (keyof typeof CORE)[];

/** Where a core's code and private data sit: region names of the platform (rpmsg-sim platforms NAME lists them). */
export const CORE_PLACEMENT = {
  code: { type: 'string', minLength: 1, description: "The region the core's code runs from (itcm, flexspi, flash, ...). Default: the SDK linker script's." },
  data: { type: 'string', minLength: 1, description: "The region of the core's private data: stack, statics, heap (dtcm, sram, ...). Default: the SDK's." },
  shared: {
    enum: ['cacheable', 'non-cacheable'],
    description: "How this core maps the rpmsg shared memory: cacheable through its data cache, or not (default: the platform's, as the SDK's MPU set-up leaves it).",
  },
} satisfies Record<string, Schema>;
export const CORE_PLACEMENT_KEYS = keysOf(CORE_PLACEMENT);
export const PLACEMENT = Object.fromEntries(ROLES.map((role) => [role, ref('corePlacement', `Where the ${role}'s code, data and view of the shared memory are.`)])) as Record<(typeof ROLES)[number], Schema>;
export const PLACEMENT_KEYS = keysOf(PLACEMENT);

/** Powers of two from 1 to RL_MAX_BUFFER_COUNT. */
const BUFFER_COUNTS = Array.from({ length: Math.log2(RL_MAX_BUFFER_COUNT) + 1 }, (_, i) => 2 ** i);
export const RPMSG = {
  'buffer-payload-size': ref('size', 'RL_BUFFER_PAYLOAD_SIZE (default 496B).'),
  'buffer-count': { enum: BUFFER_COUNTS, description: 'RL_BUFFER_COUNT: buffers per direction, a power of two (default 2).' },
  'vring-align': ref('size', `VRING_ALIGN: a power of two up to ${RL_MAX_VRING_ALIGN / 1024}KiB (default: the port's).`),
  'vring-size': ref('size', "VRING_SIZE: the stride between the two vrings (default: the port's)."),
  'ms-per-interval': ref('count', 'RL_MS_PER_INTERVAL (default 1).'),
  'allow-consumed-buffers-notification': { type: 'boolean', description: 'RL_ALLOW_CONSUMED_BUFFERS_NOTIFICATION (default false).' },
  'clear-used-buffers': { type: 'boolean', description: 'RL_CLEAR_USED_BUFFERS (default false).' },
  'use-dcache': { type: 'boolean', description: 'RL_USE_DCACHE: cache maintenance of the shared memory (default false).' },
} satisfies Record<string, Schema>;
export const RPMSG_KEYS = keysOf(RPMSG);

/** How a core may map the rpmsg shared memory. */
export const SHARED_MAPPINGS = ['cacheable', 'non-cacheable'] as const;
export type SharedMapping = (typeof SHARED_MAPPINGS)[number];

export const STOP = {
  time: ref('duration', 'Simulated time.'),
  messages: ref('count', 'Messages delivered (both directions).'),
} satisfies Record<string, Schema>;
export const STOP_KEYS = keysOf(STOP);

export const MESSAGE_COUNTS = {
  delivered: ref('tally', 'Delivered to endpoints, both directions.'),
  'master-to-remote': ref('tally', 'Delivered to endpoints of the remote.'),
  'remote-to-master': ref('tally', 'Delivered to endpoints of the master.'),
} satisfies Record<string, Schema>;
export const MESSAGE_COUNT_KEYS = keysOf(MESSAGE_COUNTS);

export const LATENCIES = {
  'one-way': ref('latencyBounds', "Send call to the receiver's callback entry."),
  'send-return': ref('latencyBounds', 'Send call to its return.'),
} satisfies Record<string, Schema>;
export const LATENCY_KEYS = keysOf(LATENCIES);
export const LATENCY_STATS = ['min', 'mean', 'p50', 'p99', 'max'] as const;

export const PIN_EDGES = ['rising', 'falling'] as const;
export const PIN_EDGE = {
  pin: ref('pinName'),
  edge: { enum: PIN_EDGES, description: 'rising (low to high) or falling (high to low).' },
} satisfies Record<string, Schema>;
export const PIN_EDGE_KEYS = keysOf(PIN_EDGE);
export const PIN_INTERVAL = {
  from: ref('pinEdge', 'The edge that starts an interval (a later one restarts an interval still open).'),
  to: ref('pinEdge', 'The edge that ends it: the first one after the start.'),
} satisfies Record<string, Schema>;
export const PIN_INTERVAL_KEYS = keysOf(PIN_INTERVAL);
export const PIN_INTERVAL_BOUNDS = {
  count: ref('tally', 'How many intervals were measured.'),
  ...Object.fromEntries(LATENCY_STATS.map((s) => [s, ref('bound')])),
} satisfies Record<string, Schema>;
export const PIN_INTERVAL_BOUND_KEYS = keysOf(PIN_INTERVAL_BOUNDS);

export const BOUNDS = { 'at-least': ref('duration'), 'at-most': ref('duration') } satisfies Record<string, Schema>;
export const BOUND_KEYS = keysOf(BOUNDS);

export { ROLES };
export const CODE_NAMES: readonly string[] = Object.values(RL_ERROR_NAMES);
/** What each return code means (rpmsg_lite.h), for the schema's descriptions. */
export const CODE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  RL_SUCCESS: 'RL_SUCCESS (0): the call succeeded.',
  RL_ERR_NO_MEM: 'RL_ERR_NO_MEM (-5001): no free tx buffer (timeout 0, or the wait expired).',
  RL_ERR_BUFF_SIZE: 'RL_ERR_BUFF_SIZE (-5002): the payload is larger than the buffer payload size, or rpmsg_queue_recv got a message longer than maxlen.',
  RL_ERR_PARAM: 'RL_ERR_PARAM (-5003): a NULL argument, an unknown endpoint or a half-initialised instance.',
  RL_ERR_DEV_ID: 'RL_ERR_DEV_ID (-5004): a bad device id; the current library never returns it.',
  RL_ERR_MAX_VQ: 'RL_ERR_MAX_VQ (-5005): too many virtqueues; the current library never returns it.',
  RL_ERR_NO_BUFF: 'RL_ERR_NO_BUFF (-5006): rpmsg_queue_recv found the queue empty, or its timeout expired.',
  RL_NOT_READY: 'RL_NOT_READY (-5007): the link is not up.',
  RL_ALREADY_DONE: 'RL_ALREADY_DONE (-5008): already done; the current library never returns it.',
};

export const EXPECT = {
  messages: { type: 'object', description: 'How many messages were delivered, in total and each way.', additionalProperties: false, properties: MESSAGE_COUNTS },
  codes: {
    type: 'object',
    description: 'How many times each rpmsg-lite return code was returned.',
    // One property per code, so an editor describes each and an unknown one is one error.
    additionalProperties: false,
    properties: Object.fromEntries(CODE_NAMES.map((name) => [name, ref('tally', CODE_DESCRIPTIONS[name])])),
  },
  latency: { type: 'object', description: 'Bounds on latency statistics of the run.', additionalProperties: false, properties: LATENCIES },
  'pin-interval': {
    type: 'object',
    description: 'Bounds on the intervals named in pin-intervals: count, and at-least/at-most per statistic.',
    additionalProperties: ref('pinIntervalBounds', 'Bounds on one named interval.'),
  },
  'link-up': {
    type: 'object',
    description: "Whether each side's link is up at the end.",
    additionalProperties: false,
    properties: Object.fromEntries(ROLES.map((role) => [role, { type: 'boolean', description: `Whether the ${role}'s link is up.` }])),
  },
  'faults-fired': ref('tally', 'How many injected faults fired.'),
  'messages-lost': ref('tally', 'Messages put on a ring that no endpoint received by the end.'),
  'messages-duplicated': ref('tally', 'Deliveries beyond one per message.'),
  'recovery-within': ref('duration', 'After the last fault fired, the first delivery comes within this.'),
  'locked-up': {
    type: 'object',
    description: 'Whether each core is locked up (an unhandled bus fault) at the end.',
    additionalProperties: false,
    properties: Object.fromEntries(ROLES.map((role) => [role, { type: 'boolean', description: `Whether the ${role}'s core is locked up.` }])),
  },
} satisfies Record<string, Schema>;
export const EXPECT_KEYS = keysOf(EXPECT);

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
  'rl-notify': true,
  'rl-callback-return': true,
  'rl-link-up': true,
  gpio: true,
  fault: true,
  watchdog: true,
};
export const RECORD_KINDS: readonly RecordKind[] = keysOf(RECORD_KIND_SET);

export const TRACE = {
  kinds: { type: 'array', description: 'Record kinds the golden trace keeps (default: all).', minItems: 1, uniqueItems: true, items: { enum: RECORD_KINDS, description: 'A record kind (docs/traces.md).' } },
} satisfies Record<string, Schema>;
export const TRACE_KEYS = keysOf(TRACE);

// ---- steps -----------------------------------------------------------------------------------

export type StepKind = Step['kind'];
export interface StepSpec {
  /** What the step does (the rpmsg-lite calls it makes). */
  readonly description: string;
  /** Its fields, in order, with the schema of each value. */
  readonly fields: Readonly<Record<string, Schema>>;
  readonly required: readonly string[];
  /** The field a scalar value stands for: `- delay: 10us` is `- delay: {duration: 10us}`. */
  readonly shorthand?: string;
  /** Constraints between fields, for the schema (the loader checks them with its own messages). */
  readonly schema?: Schema;
}

export const ON_RECEIVE = ['release', 'hold', 'queue'] as const;
export const NS_FLAGS = ['create', 'destroy'] as const;

const repeat = ref('count', 'Default 1.');
export const STEPS: Readonly<Record<StepKind, StepSpec>> = {
  init: { description: 'rpmsg_lite_master_init / rpmsg_lite_remote_init.', fields: {}, required: [] },
  'create-endpoint': {
    description: 'rpmsg_lite_create_ept.',
    fields: {
      name: ref('endpointName', 'How later steps of this core refer to it.'),
      addr: { anyOf: [ref('address'), { const: 'any' }], description: 'Its address, or any (RL_ADDR_ANY). Default: any.' },
      'on-receive': { enum: ON_RECEIVE, description: 'release (default), hold (RL_HOLD, for a release step) or queue (rpmsg_queue; rtos only).' },
    },
    required: ['name'],
  },
  'destroy-endpoint': { description: 'rpmsg_lite_destroy_ept.', fields: { endpoint: ref('endpointName') }, required: ['endpoint'], shorthand: 'endpoint' },
  'wait-link-up': { description: 'rpmsg_lite_wait_for_link_up.', fields: { timeout: ref('timeout') }, required: [] },
  send: {
    description: 'rpmsg_lite_send (copy): size bytes of a pattern, or data.',
    fields: {
      from: ref('endpointName'),
      to: ref('destination'),
      size: ref('size'),
      data: { ...text, description: 'Text, sent as UTF-8.' },
      repeat,
      interval: ref('duration', "Sleep between one send's return and the next send."),
      timeout: ref('timeout'),
    },
    required: ['from', 'to'],
    schema: exactlyOne(['size', 'data']),
  },
  'send-nocopy': {
    description: 'rpmsg_lite_alloc_tx_buffer, fill, rpmsg_lite_send_nocopy.',
    fields: {
      from: ref('endpointName'),
      to: ref('destination'),
      size: ref('size'),
      repeat,
      interval: ref('duration'),
      timeout: ref('timeout', 'For rpmsg_lite_alloc_tx_buffer.'),
    },
    required: ['from', 'to', 'size'],
  },
  receive: {
    description: 'Wait until count messages have arrived on the endpoint (counted from the start).',
    fields: { endpoint: ref('endpointName'), count: ref('count', 'Default 1.'), timeout: ref('duration', 'Give up after this long. Default: wait for ever.') },
    required: ['endpoint'],
  },
  'queue-receive': {
    description: 'rpmsg_queue_recv on a queue endpoint, count times (environment: rtos).',
    fields: { endpoint: ref('endpointName'), count: ref('count', 'Default 1.'), timeout: ref('timeout') },
    required: ['endpoint'],
  },
  release: {
    description: 'rpmsg_lite_release_rx_buffer of held messages of a hold endpoint.',
    fields: { endpoint: ref('endpointName'), count: { anyOf: [ref('count'), { const: 'all' }], description: 'The oldest count, or all (default).' } },
    required: ['endpoint'],
    shorthand: 'endpoint',
  },
  'ns-bind': { description: 'rpmsg_ns_bind.', fields: {}, required: [] },
  'ns-announce': {
    description: 'rpmsg_ns_announce.',
    fields: { endpoint: ref('endpointName'), name: ref('nsName'), flags: { enum: NS_FLAGS, description: 'RL_NS_CREATE (default) or RL_NS_DESTROY.' } },
    required: ['endpoint', 'name'],
  },
  delay: {
    description: "Busy-wait this long (a delay loop, as SDK_DelayAtLeastUs: the core stays busy; interrupts are still taken).",
    fields: { duration: ref('duration') },
    required: ['duration'],
    shorthand: 'duration',
  },
  sleep: {
    description:
      'Sleep this long: on bare metal a one-shot SysTick and WFI (interrupts wake the core, which sleeps again until the timer fires); under an RTOS env_sleep_msec of the duration in whole milliseconds, rounded up (vTaskDelay, k_sleep).',
    fields: { duration: ref('duration') },
    required: ['duration'],
    shorthand: 'duration',
  },
  compute: { description: "Stay busy for this many cycles of the core's clock.", fields: { cycles: ref('tally', "Cycles of this core's clock.") }, required: ['cycles'], shorthand: 'cycles' },
  mark: { description: 'A labelled point: --dump-shmem writes the shared memory here.', fields: { label: { ...text, description: 'The label, shown in the trace and the shared-memory dump.' } }, required: ['label'], shorthand: 'label' },
  'pin-high': {
    description: "Raise a GPIO pin (GPIO_PortSet): this core's measuring pin, or another core's it can drive.",
    fields: { pin: ref('pinName', "Default: this core's own pin.") },
    required: [],
    shorthand: 'pin',
  },
  'pin-low': {
    description: 'Lower a GPIO pin (GPIO_PortClear).',
    fields: { pin: ref('pinName', "Default: this core's own pin.") },
    required: [],
    shorthand: 'pin',
  },
};
export const STEP_KINDS: readonly StepKind[] = keysOf(STEPS);
/** Steps that do not call rpmsg-lite, so need no `init` before them. */
export const STEPS_WITHOUT_INIT: ReadonlySet<StepKind> = new Set(['init', 'delay', 'sleep', 'compute', 'mark', 'pin-high', 'pin-low']);
