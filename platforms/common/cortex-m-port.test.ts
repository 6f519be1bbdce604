// The shared Cortex-M port: a platform whose core maps no mailbox cannot have a port.

import { ConfigError } from '../../sim/kernel';
import { coreCosts } from '../../firmware/costs/registry';
import { buildRpmsgSystem } from '../system';
import type { ResolvedPlatform } from '../description/load';
import { MuGeneralInterruptPort } from './mailbox-ports';

test('a core that maps no mailbox is a ConfigError naming the platform and the core', () => {
  const sys = buildRpmsgSystem('imxrt1170');
  const platform = sys.soc.platform;
  const [cm7, cm4] = platform.cores;
  const withoutMailbox: ResolvedPlatform = {
    ...platform,
    cores: [{ ...cm7, addressMap: cm7.addressMap.filter((w) => w.target !== 'mailbox') }, cm4],
  };
  const core = sys.master.core;
  let error: unknown;
  try {
    new MuGeneralInterruptPort({ platform: withoutMailbox, core, costs: coreCosts(core.type) });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toBe('imxrt1170: core cm7 maps no mailbox');
});
