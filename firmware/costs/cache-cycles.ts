// The instructions of rpmsg-lite's cache hooks with RL_USE_DCACHE 1, per core type: the
// environment's env_cache_flush / env_cache_invalidate calling the platform's
// platform_cache_flush / platform_cache_invalidate. The ports of the platforms modelled here
// ship those hooks empty (rpmsg-lite porting/platform/imxrt1170, imx8mm_m4: "Empty
// implementation"); on a core with a data cache the model's port fills them in with the
// CMSIS maintenance by address (SCB_CleanDCache_by_Addr / SCB_InvalidateDCache_by_Addr, as
// the imxrt700_m33 port does with XCACHE_CleanCacheByRange), which is what a board that maps
// the shared memory cacheable must do. The barriers and the write-backs are timed by the core
// (the `dcache` operation); these entries are only the instructions around them.
//
//   emptyHook        env_cache_* tail-calling an empty platform hook (a core without a data cache).
//   maintainCall     env tail call, the hook's NULL / zero-length checks, the CMSIS set-up
//                    (dsize > 0, offset into the first line, SCB address), ISB, return.
//   maintainPerLine  one iteration of the CMSIS loop: the DCCMVAC / DCIMVAC store, address
//                    += line, size -= line, branch back.

import type { CoreTypeName } from '../../sim/hw/core-types';
import type { CacheCostName, CostSection } from './table';

const COUNTED =
  'Assumption: counted from the C source as Thumb-2 at -O2 would compile it (CMSIS cachel1_armv7.h SCB_*DCache_by_Addr inlined into the hook), not measured';

const CORTEX_M: CostSection<CacheCostName> = {
  emptyHook: { value: 2, unit: 'instructions', source: `${COUNTED}: b platform_cache_*; bx lr` },
  maintainCall: {
    value: 10,
    unit: 'instructions',
    source: `${COUNTED}: env tail call 1, NULL and length checks 2, dsize > 0 compare and branch 2, line offset and size 2, SCB base load 1, ISB 1, return 1 (the two DSBs are the core's dsb timing)`,
  },
  maintainPerLine: { value: 4, unit: 'instructions', source: `${COUNTED}: str to SCB->DCCMVAC (or DCIMVAC), adds, subs, bgt` },
};

export const CACHE_INSTRUCTIONS: Readonly<Record<CoreTypeName, CostSection<CacheCostName>>> = {
  'cortex-m0+': CORTEX_M,
  'cortex-m4': CORTEX_M,
  'cortex-m7': CORTEX_M,
  'cortex-m33': CORTEX_M,
  'cortex-a53': {
    ...CORTEX_M,
    maintainPerLine: {
      value: 4,
      unit: 'instructions',
      source: 'Assumption: the AArch64 loop of the same shape: dc cvac (or dc ivac), add, cmp, b.lo (as Linux dcache_by_line_op)',
    },
  },
};
