// What a run would refuse of a scenario that reads well (docs/scenario-format.md "What
// `validate` checks beyond each value"): the loader checks each value on its own; this builds
// the system exactly as a run does (buildRpmsgSystem, without running it) and checks the
// values against it, so that `validate` refuses what `run` would, with the file, line and
// column of the key:
// - every duration (stop time, bounds, delays, intervals, timeouts) and every count of
//   cycles within the kernel's tick range (2^53 ticks of the platform's tick);
// - rpmsg-lite timeouts within their uint32_t of milliseconds (below RL_BLOCK);
// - the vrings within VRING_SIZE each (else master_init's memset of one runs into the next,
//   or into the buffers), and both vrings with 2 × RL_BUFFER_COUNT buffers within the
//   shared memory (else rpmsg_lite_master_init returns NULL);
// - every model's own limits on the configuration (a SysTick reload within 24 bits): a
//   ConfigError of the build, placed at the setting it is about.
// Module firmware is checked by compiling it (files.ts compileModules), in the commands.

import { buildRpmsgSystem, type RpmsgSystem, type RpmsgSystemOptions } from '../platforms/system';
import { loadPlatform } from '../platforms/registry';
import { APP_NAMES, appNamed } from '../firmware/apps/registry';
import { RL_BLOCK, RL_MAX_VRING_ALIGN } from '../firmware/rpmsg-lite/constants';
import { initProblem } from '../firmware/rpmsg-lite/rpmsg-lite';
import { RTOS_DEFAULTS } from '../firmware/rtos/config';
import { ZEPHYR_TICK_HZ } from '../firmware/rtos/zephyr-kernel';
import { shmemLayout, vringSizeBytes } from '../firmware/rpmsg-lite/virtio-ring';
import { ConfigError, MAX_TICKS, SchedulingError, cycles, formatHz } from '../sim/kernel';
import { hexAddress } from '../sim/text/hex';
import { fixedPoint } from '../sim/trace/tick-format';
import { type Fault, checkFaults } from './faults';
import type { Role, Scenario } from './types';
import { parseDuration, parseTimeoutMs } from './units';
import { ROLES } from './vocabulary';
import type { LNode, Path } from './yaml-tree';

/** Reports one problem at an offset of the file's text (ScenarioText.error). */
export type Report = (offset: number, path: Path, message: string, note?: string) => void;

/** The options a run builds the scenario's system with (scenario-engine/run.ts runScenario). */
export function systemOptions(scenario: Scenario): RpmsgSystemOptions {
  return {
    overrides: scenario.overrides,
    config: scenario.rpmsg,
    ...(scenario.placement !== undefined && { placement: scenario.placement }),
    environments: { master: scenario.master.environment, remote: scenario.remote.environment },
    costs: {
      ...(scenario.master.costs !== undefined && { master: scenario.master.costs }),
      ...(scenario.remote.costs !== undefined && { remote: scenario.remote.costs }),
    },
    builds: {
      ...(scenario.master.build !== undefined && { master: scenario.master.build }),
      ...(scenario.remote.build !== undefined && { remote: scenario.remote.build }),
    },
  };
}

/** Checks a loaded scenario against the system it builds; `root` is the file's located tree. */
export function checkFeasibility(scenario: Scenario, root: LNode, report: Report): void {
  const at = new Locator(root);
  let sys: RpmsgSystem;
  try {
    sys = buildRpmsgSystem(scenario.platform, systemOptions(scenario));
  } catch (error) {
    // A cost in cycles past the tick range (a cache's hit cycles of 2^53) fails in the build as a SchedulingError.
    if (!(error instanceof ConfigError) && !(error instanceof SchedulingError)) throw error;
    buildProblem(scenario, at, report, error.message);
    return;
  }
  checkTimes(sys, root, report);
  checkLayout(sys, at, report);
  checkBuiltFaults(scenario, sys, at, report);
}

/** What only the built system can judge of each fault (a field past the ring, an address in no memory, …), at the fault. */
function checkBuiltFaults(scenario: Scenario, sys: RpmsgSystem, at: Locator, report: Report): void {
  (scenario.faults ?? []).forEach((fault, i) => {
    try {
      checkFaults([fault], sys);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const where = at.value(['faults', i]) ?? at.key(['faults']) ?? at.root();
      // faults.ts locates its message itself (file:line:column: …); the report locates it again.
      report(where.offset, where.path, error.message.replace(/^.*?:\d+:\d+: /, ''));
    }
  });
}

// -- the build's own refusals --

/** A model's ConfigError while building (a SysTick reload past 24 bits, …), at the setting it is about. */
function buildProblem(scenario: Scenario, at: Locator, report: Report, message: string): void {
  const systick = /^(\S+)\.systick: reload of (\d+) cycles/.exec(message);
  if (systick !== null) {
    const coreName = systick[1]!;
    const platform = loadPlatform(scenario.platform, scenario.overrides);
    const index = platform.cores.findIndex((c) => c.name === coreName);
    const role: Role = index === 0 ? 'master' : 'remote';
    const hz = platform.clocks[platform.cores[index]?.clock ?? ''];
    const clockKey = `clocks.${platform.cores[index]?.clock ?? coreName}`;
    const where = at.value(['overrides', clockKey]) ?? at.value([role, 'environment']) ?? at.key([role]) ?? at.root();
    const env = scenario[role].environment;
    const rate = env === 'zephyr' ? ZEPHYR_TICK_HZ : RTOS_DEFAULTS.tickRateHz;
    report(
      where.offset,
      where.path,
      `${coreName} (${role}) runs at ${hz === undefined ? 'its clock' : formatHz(hz)}: the ${env} tick of ${rate} Hz needs a SysTick reload of ${systick[2]} cycles, and SysTick's 24-bit counter counts 1 to 2^24 = 16777216 cycles`,
      `with ${env}, ${coreName}'s clock must be from ${formatHz(rate)} to ${formatHz(rate * 2 ** 24)}; give another clock, or environment: bare-metal`,
    );
    return;
  }
  // A count of cycles too large: at the override that gives it, when one does.
  const span = /^(\d+) cycles of \S+ is not a representable span/.exec(message);
  const given = span === null ? undefined : Object.entries(scenario.overrides).find(([, v]) => v === Number(span[1]))?.[0];
  const where = (given === undefined ? undefined : at.value(['overrides', given])) ?? at.key(['overrides']) ?? at.value(['platform']) ?? at.root();
  report(where.offset, where.path, `${scenario.platform} cannot be built as configured: ${given === undefined ? '' : `${given}: `}${message}`);
}

// -- times --

/** Keys whose value is a duration (and timeouts: rpmsg-lite's in ms, the receive step's a duration). */
const DURATION_KEYS = new Set(['time', 'at-least', 'at-most', 'delay', 'sleep', 'duration', 'interval', 'timeout', 'at', 'for', 'recovery-within']);

/** Steps whose `timeout` is an rpmsg-lite argument (uint32_t milliseconds). */
const MS_TIMEOUT_STEPS = new Set(['wait-link-up', 'send', 'send-nocopy', 'queue-receive']);

function checkTimes(sys: RpmsgSystem, root: LNode, report: Report): void {
  const tb = sys.kernel.timebase;
  const seconds = fixedPoint((BigInt(MAX_TICKS) * 1000n) / BigInt(tb.tickHz), 3);
  const range = `the simulated time ends at 2^53 ticks of 1/${formatHz(tb.tickHz)} on ${sys.soc.platform.name}, ${seconds} s`;
  const cores = new Map(sys.soc.cores.map((c) => [c.name, c]));
  const pastRange = (node: LNode, path: Path, what: string) => report(node.offset, path, `${what} is past the tick range: ${range}`);
  // The kernel's own conversions, which throw where a run would.
  const fits = (toTicks: () => number): boolean => {
    try {
      toTicks();
      return true;
    } catch (error) {
      if (error instanceof SchedulingError) return false;
      throw error;
    }
  };
  // The loader checks the core's name; an unknown one is not this check's to report.
  const cyclesFit = (n: number, core: string): boolean => fits(() => cores.get(core)?.clock.toTicks(cycles(n)) ?? 0);
  walk(root, [], (node, path) => {
    if (node.kind !== 'scalar') return;
    const key = path[path.length - 1];
    // `compute: N` cycles and an app's cycles parameters: cycles of the core that spends them.
    const given = path[0] as Role;
    const role = path[1] === 'params' ? (CYCLES_PARAMS.get(String(path[2])) ?? given) : given;
    const core = ROLES.includes(role) ? sys[role].core.name : undefined;
    if (typeof node.value === 'number' && core !== undefined && isCyclesCount(path) && !cyclesFit(node.value, core)) {
      pastRange(node, path, `${node.value} cycles of ${core}`);
      return;
    }
    // A cost entry (cycles, or a factor of them) that alone is past the range fails the first call that charges it.
    if (typeof node.value === 'number' && core !== undefined && path.length === 3 && path[1] === 'costs' && !cyclesFit(node.value, core)) {
      pastRange(node, path, `${path[2]}: ${node.value}, as cycles of ${core},`);
      return;
    }
    if (typeof key !== 'string' || !DURATION_KEYS.has(key) || typeof node.value !== 'string') return;
    const parsed = parseDuration(node.value);
    if (!parsed.ok) return; // the loader reported it (or it is a timeout of another spelling)
    const d = parsed.value;
    if (!('ns' in d ? fits(() => tb.ns(d.ns)) : cyclesFit(d.cycles, d.core))) {
      pastRange(node, path, `${node.value}`);
      return;
    }
    const step = path[path.length - 2];
    if (key === 'timeout' && typeof step === 'string' && MS_TIMEOUT_STEPS.has(step)) {
      const ms = parseTimeoutMs(node.value);
      if (ms.ok && typeof ms.value === 'number' && ms.value >= RL_BLOCK) {
        report(node.offset, path, `rpmsg-lite timeouts are a uint32_t of milliseconds below RL_BLOCK (0xFFFFFFFF), at most 4294967294ms, got ${node.value}`, 'timeout: block waits for ever');
      }
    }
  });
}

/** `<role>.steps.<i>.compute` and an app's `cycles` parameters (`<role>.params.<key>`). */
function isCyclesCount(path: Path): boolean {
  if (path.length === 4 && path[1] === 'steps' && path[3] === 'compute') return true;
  return path.length === 3 && path[1] === 'params' && CYCLES_PARAMS.has(String(path[2]));
}

/** The keys of every app's `cycles` parameters, with the core that spends them when the app says. */
const CYCLES_PARAMS: ReadonlyMap<string, Role | undefined> = new Map(
  APP_NAMES.flatMap((name) => appNamed(name).params.filter((p) => p.kind === 'cycles').map((p) => [p.key, p.spentBy] as const)),
);

function walk(node: LNode, path: Path, visit: (node: LNode, path: Path) => void): void {
  visit(node, path);
  if (node.kind === 'map') for (const e of node.entries) walk(e.value, [...path, e.key], visit);
  else if (node.kind === 'seq') node.items.forEach((item, i) => walk(item, [...path, i], visit));
}

// -- the shared memory --

function checkLayout(sys: RpmsgSystem, at: Locator, report: Report): void {
  const config = sys.config;
  const { base, length } = sys.sharedMemory;
  const n = config.bufferCount;
  const layout = shmemLayout(base, config, length);
  const where =
    at.firstOf([
      ['rpmsg', 'vring-align'],
      ['rpmsg', 'vring-size'],
      ['rpmsg', 'buffer-count'],
      ['rpmsg', 'buffer-payload-size'],
      ['overrides', 'rpmsg.sharedMemorySize'],
      ['overrides', 'rpmsg.sharedMemoryBase'],
    ]) ??
    at.key(['rpmsg']) ??
    at.value(['platform']) ??
    at.root();
  // master_init zeroes vring_size(N, VRING_ALIGN) bytes of each vring, VRING_SIZE apart.
  const span = vringSizeBytes(n, Math.min(config.vringAlign, RL_MAX_VRING_ALIGN));
  if (span > config.vringSize) {
    const end = (from: number) => hexAddress(from + span - 1);
    report(
      where.offset,
      where.path,
      `the vrings overlap: vring 0 takes ${hexAddress(layout.vring0.base)}..${end(layout.vring0.base)} (vring_size(${n}, VRING_ALIGN ${hexOf(config.vringAlign)}) = ${span} B) ` +
        `but vring 1 starts at ${hexAddress(layout.vring1.base)}, and vring 1 (to ${end(layout.vring1.base)}) runs into the buffers at ${hexAddress(layout.bufferBase)} (VRING_SIZE ${hexOf(config.vringSize)})`,
      `give rpmsg.vring-size of at least ${span} B (${hexOf(span)})`,
    );
    return;
  }
  for (const [role, fn] of [['master', 'rpmsg_lite_master_init'], ['remote', 'rpmsg_lite_remote_init']] as const) {
    const highest = sys[role].port.highestLinkId;
    if (sys.linkId <= highest) continue;
    const linkAt = at.value(['overrides', 'rpmsg.linkId']) ?? at.key(['overrides']) ?? at.value(['platform']) ?? at.root();
    report(linkAt.offset, linkAt.path, `${fn} would return NULL: link id ${sys.linkId} is above RL_PLATFORM_HIGHEST_LINK_ID (${highest}) of the ${role}'s platform port`);
    return;
  }
  const problem = initProblem({ config, port: sys.master.port }, base, sys.linkId, length) ?? initProblem({ config, port: sys.remote.port }, base, sys.linkId);
  if (problem !== null) {
    report(where.offset, where.path, `rpmsg_lite_master_init would return NULL: ${problem}`, `the shared memory: ${hexAddress(base)}, ${length} B (rpmsg.sharedMemoryBase, rpmsg.sharedMemorySize of the platform)`);
  }
}

function hexOf(n: number): string {
  return `0x${n.toString(16).toUpperCase()}`;
}

/** Finds nodes of the located tree by path, for placing a problem at the key it is about. */
class Locator {
  constructor(private readonly top: LNode) {}

  root(): { offset: number; path: Path } {
    return { offset: this.top.offset, path: [] };
  }

  /** The value at `path`. */
  value(path: Path): { offset: number; path: Path } | undefined {
    const node = this.find(path)?.node;
    return node === undefined ? undefined : { offset: node.offset, path };
  }

  /** The key that introduces `path` (a map's own key, for a whole section). */
  key(path: Path): { offset: number; path: Path } | undefined {
    const found = this.find(path);
    return found === undefined ? undefined : { offset: found.keyOffset ?? found.node.offset, path };
  }

  firstOf(paths: Path[]): { offset: number; path: Path } | undefined {
    for (const p of paths) {
      const v = this.value(p);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private find(path: Path): { node: LNode; keyOffset?: number } | undefined {
    let node: LNode = this.top;
    let keyOffset: number | undefined;
    for (const part of path) {
      if (node.kind === 'map') {
        const entry = node.entries.find((e) => e.key === part);
        if (entry === undefined) return undefined;
        node = entry.value;
        keyOffset = entry.keyOffset;
      } else if (node.kind === 'seq' && typeof part === 'number' && part < node.items.length) {
        node = node.items[part]!;
        keyOffset = undefined;
      } else {
        return undefined;
      }
    }
    return { node, ...(keyOffset !== undefined && { keyOffset }) };
  }
}

/**
 * The times of faults given on the command line (`--fault`, which joins the scenario after
 * the loader): a trigger time, a delay or a hold past the tick range, as a ConfigError at the
 * argument (the file's faults are checked with the rest of its times, checkTimes).
 */
export function checkFaultTimes(faults: readonly Fault[], sys: RpmsgSystem): void {
  const tb = sys.kernel.timebase;
  const seconds = fixedPoint((BigInt(MAX_TICKS) * 1000n) / BigInt(tb.tickHz), 3);
  for (const fault of faults) {
    const times = ['at' in fault.trigger ? fault.trigger.at : undefined, fault.duration].filter((d): d is NonNullable<typeof d> => d !== undefined);
    for (const d of times) {
      try {
        if ('ns' in d) tb.ns(d.ns);
        else sys.soc.cores.find((c) => c.name === d.core)?.clock.toTicks(cycles(d.cycles));
      } catch (error) {
        if (!(error instanceof SchedulingError)) throw error;
        const what = 'ns' in d ? `${d.ns} ns` : `${d.cycles} cycles of ${d.core}`;
        const l = fault.location;
        throw new ConfigError(`${l.file}:${l.line}:${l.column}: ${fault.kind} fault: ${what} is past the tick range: the simulated time ends at 2^53 ticks of 1/${formatHz(tb.tickHz)} on ${sys.soc.platform.name}, ${seconds} s`);
      }
    }
  }
}
