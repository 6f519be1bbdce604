// The platform cache hooks rpmsg-lite calls with RL_USE_DCACHE (platform_cache_flush,
// platform_cache_invalidate), one piece for every port: CMSIS by-address maintenance
// (SCB_CleanDCache_by_Addr / SCB_InvalidateDCache_by_Addr) over the lines the range touches
// on a core with a data cache, or the empty hook on a core without one.

import type { Core, Firmware } from '../../sim/hw/core';
import { cycles } from '../../sim/kernel';
import type { MaintenanceOp } from '../../sim/hw/data-cache';
import { type CoreCosts, plus } from '../../firmware/costs/table';

export function* maintainRange(core: Core, costs: CoreCosts, op: MaintenanceOp, address: number, length: number): Firmware<void> {
  const dcache = core.dcache;
  if (dcache === null || length <= 0) {
    yield* core.run(costs.charge('cache.emptyHook'));
    return;
  }
  const first = Math.floor(address / dcache.lineBytes) * dcache.lineBytes;
  const lines = Math.ceil((address + length - first) / dcache.lineBytes);
  // The routine's code is fetched like any charged path's; its cycles are the maintenance operation's.
  const code = costs.footprint('cache.maintainCall');
  if (code !== null) yield* core.run({ cycles: cycles(0), code, dataStall: cycles(0) });
  const work = plus(costs.cost('cache.maintainCall'), costs.cost('cache.maintainPerLine', lines));
  yield* core.maintainDCache(op, address, length, work);
}
