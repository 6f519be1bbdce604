// A platform ready for rpmsg-lite firmware: the chip (sim/hw/platform-soc), and for each core
// its rpmsg-lite platform port and environment, with the rpmsg-lite configuration of the
// port's family (VRING_ALIGN, VRING_SIZE) and any overrides.

import type { Kernel } from '../sim/kernel';
import type { Core } from '../sim/hw/core';
import type { PlatformOverrides } from '../sim/hw/platform-load';
import { type PlatformSoc, buildPlatformSoc } from '../sim/hw/platform-soc';
import type { Tracer } from '../sim/trace/trace';
import { BareMetalEnv } from '../firmware/env/bare-metal';
import type { RlEnv } from '../firmware/env/env';
import type { RlPlatformPort } from '../firmware/rpmsg-lite/platform';
import type { RlConfig } from '../firmware/rpmsg-lite/virtio-ring';
import { PORTS, loadPlatform } from './index';

export interface CoreSystem {
  core: Core;
  port: RlPlatformPort;
  env: RlEnv;
}

export interface RpmsgSystem {
  soc: PlatformSoc;
  kernel: Kernel;
  master: CoreSystem;
  remote: CoreSystem;
  config: RlConfig;
  /** Shared memory base (as the master sees it) and length for rpmsg-lite. */
  sharedMemory: { base: number; length: number };
  linkId: number;
}

export interface RpmsgSystemOptions {
  overrides?: PlatformOverrides;
  /** rpmsg-lite configuration beyond the port's defaults. */
  config?: Partial<Omit<RlConfig, 'vringSize'>> & { vringSize?: number };
  /** Makes the environment of a core (default: bare metal). */
  env?: (core: Core, port: RlPlatformPort) => RlEnv;
  tracer?: (kernel: Kernel) => Tracer;
  beatByBeat?: boolean;
}

export function buildRpmsgSystem(platformName: string, options: RpmsgSystemOptions = {}): RpmsgSystem {
  const platform = loadPlatform(platformName, options.overrides);
  const soc = buildPlatformSoc(platform, {
    ...(options.tracer !== undefined && { tracer: options.tracer }),
    ...(options.beatByBeat !== undefined && { beatByBeat: options.beatByBeat }),
  });
  const makePort = PORTS[platform.name];
  if (makePort === undefined) throw new Error(`platform ${platform.name} has no rpmsg-lite port`);
  const side = (name: string): CoreSystem => {
    const core = soc.core(name);
    const port = makePort({ platform, core });
    const env = options.env?.(core, port) ?? new BareMetalEnv(core, port);
    return { core, port, env };
  };
  const master = side(platform.cores[0].name);
  const remote = side(platform.cores[1].name);
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
  return {
    soc,
    kernel: soc.kernel,
    master,
    remote,
    config,
    sharedMemory: { base: platform.rpmsg.sharedMemoryBase, length: platform.rpmsg.sharedMemorySize },
    linkId: platform.rpmsg.linkId,
  };
}
