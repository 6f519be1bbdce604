// rpmsg-lite's init as the apps and the steps program call it: rpmsg_lite_master_init on the
// master's core, rpmsg_lite_remote_init on the remote's, with the platform's shared memory
// and link id. The C library returns NULL where the arguments do not work (a link id above
// the platform's highest, a bad configuration, buffers that do not fit); the SDK demos then
// stop (`if (my_rpmsg == RL_NULL) { ... for (;;) }` or an assert). Here that ends the core's
// firmware with a FirmwareError naming the function and the reason, so the run fails with
// exit status 1 and says why, instead of an app going on with a NULL instance.

import { FirmwareError } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import type { ProgramContext } from '../program';
import { RpmsgLite, initProblem } from '../rpmsg-lite/rpmsg-lite';

/** The role's init; a NULL instance throws a FirmwareError with the reason. */
export function* initOrFail(ctx: ProgramContext): Firmware<RpmsgLite> {
  const { base, length } = ctx.sharedMemory;
  const master = ctx.role === 'master';
  const rl = master ? yield* RpmsgLite.masterInit(ctx, base, length, ctx.linkId) : yield* RpmsgLite.remoteInit(ctx, base, ctx.linkId);
  if (rl !== null) return rl;
  const fn = master ? 'rpmsg_lite_master_init' : 'rpmsg_lite_remote_init';
  const why = initProblem(ctx, base, ctx.linkId, master ? length : undefined);
  throw new FirmwareError(`core ${ctx.core.name} (${ctx.role}): ${fn} returned NULL${why === null ? '' : `: ${why}`}`);
}
