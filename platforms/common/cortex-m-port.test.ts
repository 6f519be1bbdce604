// The shared Cortex-M port: it finds its core's mailbox window through mailboxWindowOf.
// Validation refuses a platform whose core maps no mailbox, so one that reaches a port is a bug.

import { InternalError } from '../../sim/kernel';
import { coreCosts } from '../../firmware/costs/registry';
import { buildRpmsgSystem } from '../system';
import { MAILBOX_TARGET, type ResolvedPlatform } from '../description/load';
import { MuGeneralInterruptPort } from './mailbox-ports';

test('a core that maps no mailbox (a platform validation would refuse) is an InternalError naming the platform and the core', () => {
  const sys = buildRpmsgSystem('imxrt1170');
  const platform = sys.soc.platform;
  const [cm7, cm4] = platform.cores;
  const withoutMailbox: ResolvedPlatform = {
    ...platform,
    cores: [{ ...cm7, addressMap: cm7.addressMap.filter((w) => w.target !== MAILBOX_TARGET) }, cm4],
  };
  const core = sys.master.core;
  let error: unknown;
  try {
    new MuGeneralInterruptPort({ platform: withoutMailbox, core, costs: coreCosts(core.type) });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InternalError);
  expect((error as Error).message).toBe('imxrt1170: core cm7 maps no mailbox (validation refuses such a platform)');
});
