// A platform ready for rpmsg-lite firmware: the chip (description/build.ts), and for each core
// its cost table (firmware/costs, with any overrides), its rpmsg-lite platform port and
// environment, with the rpmsg-lite configuration of the port's family (VRING_ALIGN,
// VRING_SIZE) and any overrides. The cost table is built here, once per core, and handed to
// everything on that core that charges cycles: the port, the environment and its RTOS, and
// (through the ProgramContext a program passes to its init) rpmsg-lite.

import { ConfigError, type Kernel } from '../sim/kernel';
import type { Core } from '../sim/hw/core';
import type { PlatformOverrides } from './description/load';
import { type PlatformSoc, buildPlatformSoc } from './description/build';
import type { Tracer } from '../sim/trace/trace';
import { DEFAULT_ENVIRONMENT, ENVIRONMENT_NAMES, type EnvironmentName, environmentNamed, environmentOf, isEnvironmentName } from '../firmware/env/registry';
import { coreCosts } from '../firmware/costs/registry';
import type { CoreCosts, CostOverrides, CostPlacement } from '../firmware/costs/table';
import type { ResolvedPlatform } from './description/load';
import type { RlEnv } from '../firmware/rpmsg-lite/rpmsg-env';
import type { RlPlatformPort } from '../firmware/rpmsg-lite/rpmsg-platform';
import type { RlConfig } from '../firmware/rpmsg-lite/virtio-ring';
import { type CoreSystem, type Program, type ProgramContext, ROLES, type Role, isRole } from '../firmware/program';
import { loadPlatform, platformEntry } from './registry';
import { CorePins, type ReachablePin } from './common/pins';
import type { Pins } from '../firmware/program';

export type { CoreSystem, Program, ProgramContext };

export interface RpmsgSystem {
  soc: PlatformSoc;
  kernel: Kernel;
  master: CoreSystem;
  remote: CoreSystem;
  config: RlConfig;
  /** Each role's pin API (its core's measuring pin first, then the other pins it maps). */
  pins: Record<Role, Pins>;
  /** Shared memory base (as the master sees it) and length for rpmsg-lite. */
  sharedMemory: { base: number; length: number };
  linkId: number;
  /**
   * Gives `role` a fresh rpmsg-lite platform port and environment (a core reset: the state
   * C keeps in statics, such as the ISR table and the interrupt-disable counter, starts over);
   * the core, its cost table and pins stay.
   */
  renewSide(role: Role): void;
}

export interface RpmsgSystemOptions {
  overrides?: PlatformOverrides;
  /** rpmsg-lite configuration beyond the port's defaults. */
  config?: Partial<Omit<RlConfig, 'vringSize'>> & { vringSize?: number };
  /**
   * Makes the environment of a core; `costs` is the core's table, for it to charge. The env's
   * `kind` names the registry entry (firmware/env/registry.ts) that starts programs on it.
   */
  env?: (core: Core, port: RlPlatformPort, costs: CoreCosts) => RlEnv;
  /** Or names it per role from the registry (default bare-metal): 'rtos' runs the core's program as a task of the RTOS model. */
  environments?: Partial<Record<Role, EnvironmentName>>;
  tracer?: (kernel: Kernel) => Tracer;
  beatByBeat?: boolean;
  /**
   * Cost overrides per role: dotted path → value in the entry's unit, e.g.
   * `{ master: { 'rl.sendMaster': 120, cyclesPerInstruction: 1 } }` (firmware/costs/table.ts).
   */
  costs?: Partial<Record<Role, CostOverrides>>;
  /**
   * How each role's core maps the rpmsg shared memory: 'cacheable' (through its data cache,
   * with the attribute of the cacheable region beneath, as if the SDK's non-cacheable MPU
   * region over rpmsg_sh_mem were left out) or 'non-cacheable'; default the platform's.
   */
  placement?: Partial<Record<Role, { shared?: 'cacheable' | 'non-cacheable' }>>;
  /**
   * Each core's compiler build: its optimisation level (`O2`, `O3`, `Os`) and libc (`newlib`,
   * `newlib-nano`, `picolibc`, `picolibc-release`, `c-word-loop`, `c-byte-loop`); default the
   * SDK's release build, -Os with newlib-nano (firmware/costs/registry.ts SDK_DEFAULTS).
   */
  builds?: Partial<Record<Role, { opt?: string; libc?: string }>>;
  /** Port options per role (see PortSetup). */
  ports?: { master?: { resetMailboxOnInit?: boolean }; remote?: { resetMailboxOnInit?: boolean } };
}

export function buildRpmsgSystem(platformName: string, options: RpmsgSystemOptions = {}): RpmsgSystem {
  const platform = loadPlatform(platformName, options.overrides);
  const soc = buildPlatformSoc(platform, {
    ...(options.tracer !== undefined && { tracer: options.tracer }),
    ...(options.beatByBeat !== undefined && { beatByBeat: options.beatByBeat }),
  });
  const entry = platformEntry(platform.name);
  for (const role of Object.keys(options.costs ?? {})) {
    if (!isRole(role)) throw new ConfigError(`costs: unknown role "${role}"; the roles are ${ROLES.join(', ')}`);
  }
  for (const role of Object.keys(options.builds ?? {})) {
    if (!isRole(role)) throw new ConfigError(`builds: unknown role "${role}"; the roles are ${ROLES.join(', ')}`);
  }
  // Checked here for callers in JavaScript or with data from elsewhere: the types say as much.
  for (const [role, name] of Object.entries(options.environments ?? {})) {
    if (!isRole(role)) throw new ConfigError(`environments: unknown role "${role}"; the roles are ${ROLES.join(', ')}`);
    if (!isEnvironmentName(name)) throw new ConfigError(`environments.${role}: unknown environment "${name}"; the environments are ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  const side = (name: string, role: Role): CoreSystem => {
    const core = soc.core(name);
    const overrides = options.costs?.[role];
    const build = options.builds?.[role];
    const costs = coreCosts(core.type, {
      owner: `${core.name} (${role})`,
      placement: costPlacement(platform.cores[role === 'master' ? 0 : 1]),
      ...(overrides !== undefined && { overrides }),
      ...(build?.opt !== undefined && { opt: build.opt }),
      ...(build?.libc !== undefined && { libc: build.libc }),
    });
    const envName = options.environments?.[role] ?? DEFAULT_ENVIRONMENT;
    const environment = environmentNamed(envName);
    // An environment may need another variant of the port (the C platform files differ per env).
    const variant = options.env === undefined ? environment.platformPort : undefined;
    const createPort = variant === undefined ? entry.createPort : entry.ports?.[variant];
    if (createPort === undefined) {
      const has = ENVIRONMENT_NAMES.filter((n) => { const v = environmentNamed(n).platformPort; return v === undefined || entry.ports?.[v] !== undefined; });
      throw new ConfigError(`environment ${envName} on ${platform.name} (${role}): rpmsg-lite has no ${variant} platform port for it; its environments are ${has.join(', ')}`);
    }
    const port = createPort({ platform, core, costs, ...options.ports?.[role] });
    const env = options.env?.(core, port, costs) ?? environment.create(core, port, costs);
    return { core, port, env, costs };
  };
  for (const [role, place] of Object.entries(options.placement ?? {})) {
    if (!isRole(role)) throw new ConfigError(`placement: unknown role "${role}"; the roles are ${ROLES.join(', ')}`);
    const shared = place?.shared;
    if (shared === undefined) continue;
    const core = soc.core(platform.cores[role === 'master' ? 0 : 1].name);
    mapSharedMemory(core, role, shared, platform.rpmsg.sharedMemoryBase, platform.rpmsg.sharedMemorySize);
  }
  const master = side(platform.cores[0].name, 'master');
  const remote = side(platform.cores[1].name, 'remote');
  const pinsOf = (s: CoreSystem): Pins => {
    const map = platform.cores.find((c) => c.name === s.core.name)!.addressMap;
    const reachable: ReachablePin[] = [];
    for (const p of soc.gpio.pins) {
      const window = map.find((w) => w.target === p.block);
      const kind = platform.gpio.blocks.find((b) => b.name === p.block)!.kind;
      if (window !== undefined) reachable.push({ name: p.name, kind, base: window.base - window.targetOffset, port: p.port, pin: p.pin });
    }
    reachable.sort((a, b) => Number(b.name === s.core.name) - Number(a.name === s.core.name));
    return new CorePins(s.core, s.costs, s.core.name, reachable);
  };
  const [md, rd] = [master.port.doorbell, remote.port.doorbell];
  if (md !== undefined && rd !== undefined && md !== rd) {
    throw new ConfigError(
      `${platform.name}: the master's port rings the other core by ${md} and the remote's by ${rd}; the two rpmsg-lite ports cannot talk (choose environments whose ports agree)`,
    );
  }
  const bufferCount = options.config?.bufferCount ?? 2;
  const config: RlConfig = {
    bufferPayloadSize: 496,
    bufferCount,
    vringAlign: master.port.vringAlign,
    vringSize: master.port.vringSize(bufferCount),
    msPerInterval: 1,
    allowConsumedBuffersNotification: false,
    clearUsedBuffers: false,
    customShmemConfig: false,
    ...options.config,
  };
  const sys: RpmsgSystem = {
    soc,
    kernel: soc.kernel,
    master,
    remote,
    config,
    pins: { master: pinsOf(master), remote: pinsOf(remote) },
    sharedMemory: { base: platform.rpmsg.sharedMemoryBase, length: platform.rpmsg.sharedMemorySize },
    linkId: platform.rpmsg.linkId,
    renewSide(role: Role): void {
      const fresh = side(sys[role].core.name, role);
      sys[role] = fresh;
    },
  };
  return sys;
}

/** Gives the shared memory the mapping asked for on `core` (a ConfigError without a data cache). */
function mapSharedMemory(core: Core, role: Role, shared: 'cacheable' | 'non-cacheable', base: number, size: number): void {
  const dcache = core.dcache;
  if (dcache === null) {
    if (shared === 'non-cacheable') return;
    throw new ConfigError(`placement.${role}.shared: ${core.name} has no data cache (or the platform leaves it disabled), so its shared memory cannot be cacheable`);
  }
  if (shared === 'non-cacheable') {
    dcache.setPolicy({ base, size, policy: 'non-cacheable' });
    return;
  }
  // The attribute of the cacheable region beneath (the SDK's OCRAM or DDR region), else write-back write-allocate.
  const beneath = dcache.spec.regions.filter((r) => r.policy !== 'non-cacheable' && base >= r.base && base < r.base + r.size).pop();
  dcache.setPolicy({ base, size, policy: beneath?.policy ?? 'write-back-write-allocate' });
}

/**
 * Where a core's code is laid out and what its private data waits: the code region's base
 * after the vector table (16 system words + one per interrupt line, Armv7-M ARM B1.5.3,
 * rounded up to VTOR's 128-byte alignment) and the data region's stalls.
 */
export function costPlacement(core: ResolvedPlatform['cores'][number]): CostPlacement {
  const code = core.regions[core.placement.code]!;
  const data = core.regions[core.placement.data]!;
  const vectorBytes = 4 * (16 + core.nvic.lines);
  return {
    codeBase: code.base + Math.ceil(vectorBytes / VTOR_ALIGN) * VTOR_ALIGN,
    privateLoadCycles: data.loadStallCycles,
    privateStoreCycles: data.storeStallCycles,
  };
}

/** VTOR.TBLOFF ignores the low 7 bits (Armv7-M ARM B3.2.5: a table aligned to at least 128 bytes). */
const VTOR_ALIGN = 128;

/**
 * Starts a program on each core (either may be omitted), as the core's environment starts
 * one (its registry entry: bare metal calls it, the RTOS runs it as the task `<role>-app`).
 * When a program returns, its core idles in WFI, still taking interrupts (as firmware whose
 * main loop only sleeps).
 */
export function startPrograms(sys: RpmsgSystem, programs: { master?: Program; remote?: Program }): void {
  for (const role of ROLES) {
    const program = programs[role];
    if (program === undefined) continue;
    const side = sys[role];
    const ctx: ProgramContext = {
      ...side,
      role,
      config: sys.config,
      sharedMemory: sys.sharedMemory,
      linkId: sys.linkId,
      kernel: sys.kernel,
      pins: sys.pins[role],
    };
    environmentOf(side.env).start(side.env, role, program(ctx));
  }
}
