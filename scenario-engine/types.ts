// What a scenario file says, once parsed and validated (docs/scenario-format.md). The
// loader (load.ts) turns YAML into this, with every value in base units: times in ns,
// sizes in bytes, frequencies in Hz, cycle counts as { cycles, core }. The runner (run.ts)
// builds the platform and firmware from it. The steps a core runs (and the durations they
// take) are firmware's vocabulary, declared in firmware/steps/types.ts.

import type { AppName } from '../firmware/apps/registry';
import type { Duration, Role, Step } from '../firmware/steps/types';
import type { EnvironmentName } from '../firmware/env/registry';
import type { Fault, FaultExpectations } from './faults';

export type { Duration, Role, Step };

/** Where a value came from in the file, for error messages of later stages. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One problem with a scenario file, as data (esbuild's message, zod's issue): where, what,
 * and how to fix it. `formatErrors` (load.ts) renders a list of them.
 */
export interface ScenarioError extends SourceLocation {
  /** What is wrong, and what was expected there. */
  message: string;
  /** Keys and list indices from the document's root to the offending node (YAML spelling). */
  path: (string | number)[];
  /** How to fix it ("did you mean …?"), when there is something to say. */
  note?: string;
  /** The text of line `line`, for the caret display. */
  lineText: string;
  /** Set when the error is in a `--set` argument (1-based number, the argument): `line` is 1, `column` counts in the argument, `lineText` is the argument. */
  setting?: { index: number; argument: string };
}

/** What one core runs. */
export type Firmware =
  /**
   * A built-in app with its parameters (firmware/apps/registry.ts): the app's options object,
   * camelCase and in base units (PingPongOptions, FloodOptions, …), checked against the app's
   * declaration when the app is made; the same object on both cores when both run the app.
   */
  | { kind: 'app'; app: AppName; params: Record<string, unknown> }
  | { kind: 'steps'; steps: Step[]; stepLocations: SourceLocation[] }
  /**
   * A TypeScript module of the user's, compiled with esbuild, exporting `master`/`remote`
   * programs. `path` is absolute (resolved against the scenario file's folder); `export`
   * defaults to the role's name.
   */
  | {
      kind: 'module';
      path: string;
      export: string;
      /** Where the file gives the module and the export (their values; the module's for both when no `export:`), for the messages of later stages. */
      at?: { module: SourceLocation; export: SourceLocation };
    };

export interface CoreSetup {
  firmware: Firmware;
  environment: EnvironmentName;
  /** Overrides of the core's cost table by path (firmware/costs/table.ts `CostPath`), in each entry's unit. */
  costs?: Record<string, number>;
  /** The core's compiler build: -O level and libc (firmware/costs builds.ts, libc.ts); default the SDK's. */
  build?: { opt?: string; libc?: string };
}

/** rpmsg-lite configuration overrides (RlConfig fields). */
export interface RpmsgSettings {
  bufferPayloadSize?: number;
  bufferCount?: number;
  vringAlign?: number;
  vringSize?: number;
  msPerInterval?: number;
  allowConsumedBuffersNotification?: boolean;
  clearUsedBuffers?: boolean;
  useDcache?: boolean;
}

/** `placement:`: how each core maps memory (the shared memory only, for now). */
export type Placement = Partial<Record<Role, { shared?: 'cacheable' | 'non-cacheable' }>>;

export interface Bound {
  /** Inclusive bounds; a bound in cycles names the core whose clock counts. */
  min?: Duration;
  max?: Duration;
}

/** An edge of a GPIO pin (pins are named after the core whose measuring pin they are). */
export interface PinEdge {
  pin: string;
  edge: 'rising' | 'falling';
}

/** An interval between pin edges the summary measures (`pin-intervals:`). */
export interface PinInterval {
  from: PinEdge;
  to: PinEdge;
}

export type StatName = 'min' | 'mean' | 'p50' | 'p99' | 'max';

export interface Expectations {
  /** Messages delivered to endpoints (total, or per direction). */
  messages?: { delivered?: number; masterToRemote?: number; remoteToMaster?: number };
  /** rpmsg-lite return codes by name (RL_SUCCESS, RL_ERR_NO_MEM, …): how many times each was returned. */
  codes?: Record<string, number>;
  /** Latency bounds per statistic: one-way (send call → receiver callback), send call → return, round trip. */
  latency?: {
    oneWay?: Partial<Record<'min' | 'mean' | 'p50' | 'p99' | 'max', Bound>>;
    sendReturn?: Partial<Record<'min' | 'mean' | 'p50' | 'p99' | 'max', Bound>>;
  };
  /** The link must (not) be up at the end, per side. */
  linkUp?: Partial<Record<Role, boolean>>;
  /** Per interval named in `pinIntervals`: how many, and bounds per statistic. */
  pinInterval?: Record<string, { count?: number; stats: Partial<Record<StatName, Bound>> }>;
  /** Under faults (scenario-engine/faults.ts): faults fired, messages lost and duplicated, recovery, lockups. */
  faults?: FaultExpectations;
}

export interface Scenario {
  /** The file it came from (for messages and golden-file names). */
  file: string;
  name: string;
  description?: string;
  platform: string;
  /** Platform overrides by dotted path, already in base units. */
  overrides: Record<string, number | string>;
  rpmsg: RpmsgSettings;
  /** Per core, how it maps the shared memory (default: the platform's). */
  placement?: Placement;
  master: CoreSetup;
  remote: CoreSetup;
  /** When to stop: simulated time, messages delivered; whichever first. At least one. */
  stop: { time?: Duration; messages?: number };
  /** Intervals between GPIO pin edges to measure, by name, in file order. */
  pinIntervals?: Record<string, PinInterval>;
  expect: Expectations;
  /** Injected faults (`faults:`, scenario-engine/faults.ts), in file order; absent: none. */
  faults?: Fault[];
  /** Trace/golden settings: which record kinds the golden trace keeps (default: all). */
  trace?: { kinds?: string[] };
}
