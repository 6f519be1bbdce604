// NXP i.MX RT1170 (MIMXRT1176): Cortex-M7 (rpmsg-lite master, MU side A) and Cortex-M4
// (remote, MU side B) sharing OCRAM2. Header values are from the MCUXpresso SDK device
// headers MIMXRT1176_cm7_COMMON.h / MIMXRT1176_cm4_COMMON.h (nxp-mcuxpresso/mcux-devices-rt,
// RT1170/MIMXRT1176); linker values from the SDK example evkmimxrt1170/multicore_examples/
// rpmsg_lite_pingpong; clocks from that example family's clock_config.h (BOARD_BootClockRUN).

import type { PlatformDescription } from '../description/types';
import { cachedRegion, zeroWaitRegion } from '../common/regions';
import { lmemCaches } from '../common/caches';

const CM7_HEADER = 'MIMXRT1176_cm7_COMMON.h (MCUXpresso SDK device header)';
const CM4_HEADER = 'MIMXRT1176_cm4_COMMON.h (MCUXpresso SDK device header)';
const CM7_LINKER = 'SDK evkmimxrt1170 rpmsg_lite_pingpong cm7/armgcc/MIMXRT1176xxxxx_cm7_flexspi_nor.ld';
const CM4_LINKER = 'SDK evkmimxrt1170 rpmsg_lite_pingpong cm4/armgcc/MIMXRT1176xxxxx_cm4_ram.ld';
const CLOCK_CONFIG = 'SDK evkmimxrt1170 clock_config.h (BOARD_BootClockRUN)';
const OCRAM2_BASE = 0x202c0000;
const CM7_RAM_LINKER = 'devices/MIMXRT1176/gcc/MIMXRT1176xxxxx_cm7_ram.ld';
const TCM_TIMING_M7 =
  'Cortex-M7 TRM DDI 0489F §5.1 (About the memory system: the TCM interfaces) and SDK fsl_flexram.h (fast access mode, ' +
  "the default: \"expected to be finished in 1-cycle\"): ITCM and DTCM at the core clock with zero wait states";
const TCM_TIMING_M4 = 'i.MX RT1170 RM, CM4 TCM: the TCML/TCMU are zero-wait at the CM4 clock (code bus and system bus)';
const FLEXSPI_BASE = 0x30000000;
const FLEXSPI_MODELLED = 0x100000;
const OCRAM_CODE_BASE = 0x202d0000;
const OCRAM2_SIZE = 0x80000;
// MUA and MUB register blocks sit 16 KiB apart; the block itself is far smaller.
const MU_SLOT_SIZE = 0x4000;
// GPIO9 (the user LED's port) and the next instance, 16 KiB further.
const GPIO9_BASE = 0x40c64000;
const GPIO_SLOT_SIZE = 0x4000;
const M7_TRM = 'Cortex-M7 TRM (DDI 0489F) §5.9';
const CACHE_AN = 'NXP AN12042 "Using the i.MX RT L1 Cache" §1-2: the i.MX RT Cortex-M7 has 32 KB I and 32 KB D L1 caches, 32-byte lines, D 4-way, I 2-way';
const BOARD_MPU = 'SDK evkmimxrt1170 board.c BOARD_ConfigMPU (as public BSPs derived from it carry it)';
const LMEM =
  'Assumption: the RT1170 CM4 has 16 KB code-bus and 16 KB system-bus LMEM caches (i.MX RT1170 data sheet feature list); ' +
  'organisation as the LMEM chapter of the Kinetis K-series reference manuals gives it (2-way set-associative; the line size is from the SDK feature file, below); the RT1170 RM was not at hand';
// The shared memory as rpmsg_sh_mem: both cores' start-up code make it non-cacheable.
const SHMEM_REGION_SIZE = 0x2000;

export const imxrt1170: PlatformDescription = {
  name: 'imxrt1170',
  title: 'NXP i.MX RT1170: Cortex-M7 at 996 MHz + Cortex-M4 at 400 MHz',
  clocks: {
    cm7: {
      value: 996_000_000,
      source: `${CLOCK_CONFIG}: BOARD_BOOTCLOCKRUN_M7_CLK_ROOT = 996000000 (the data sheet rates the M7 up to 1 GHz)`,
    },
    cm4: {
      value: 400_000_000,
      source:
        'i.MX RT1170 data sheet (IMXRT1170CEC): Cortex-M4 up to 400 MHz. Note: the SDK BOARD_BootClockRUN sets ' +
        'M4_CLK_ROOT to 392727272 Hz (SYS_PLL3 PFD); 400 MHz keeps the kernel tick exact',
    },
    bus: {
      value: 240_000_000,
      source: `${CLOCK_CONFIG}: BOARD_BOOTCLOCKRUN_BUS_CLK_ROOT = 240000000`,
    },
    busLpsr: {
      value: 160_000_000,
      source: `${CLOCK_CONFIG}: BOARD_BOOTCLOCKRUN_BUS_LPSR_CLK_ROOT = 160000000; its consumers include MUA and MUB`,
    },
  },
  cores: [
    {
      name: 'cm7',
      type: 'cortex-m7',
      clock: 'cm7',
      role: 'master',
      nvic: {
        lines: { value: 218, source: `${CM7_HEADER}: IRQn_Type device interrupts 0..217 (ENET_QOS_PMT_IRQn = 217)` },
        priorityBits: { value: 4, source: `${CM7_HEADER}: __NVIC_PRIO_BITS 4` },
      },
      addressMap: [
        {
          base: { value: OCRAM2_BASE, source: `${CM7_LINKER}: m_data2 / rpmsg_sh_mem ORIGIN 0x202C0000 (OCRAM2)` },
          size: { value: OCRAM2_SIZE, source: `${CM7_LINKER}: m_data2 LENGTH 0x00080000 (RPMSG_SHMEM_SIZE included)` },
          target: 'ocram',
        },
        {
          base: { value: FLEXSPI_BASE, source: 'i.MX RT1170 RM memory map: FlexSPI1 AHB (XIP) window at 0x3000_0000' },
          size: { value: FLEXSPI_MODELLED, source: 'Assumption: the first 1 MiB of the NOR is modelled' },
          target: 'flexspi',
        },
        {
          base: { value: 0x40c48000, source: `${CM7_HEADER}: MUA_BASE 0x40C48000` },
          size: {
            value: MU_SLOT_SIZE,
            source: 'Assumption: 16 KiB, the distance from MUA_BASE 0x40C48000 to MUB_BASE 0x40C4C000 in the device headers',
          },
          target: 'mailbox',
        },
        {
          base: { value: GPIO9_BASE, source: `${CM7_HEADER}: GPIO9_BASE 0x40C64000` },
          size: { value: GPIO_SLOT_SIZE, source: 'Assumption: 16 KiB, the distance from GPIO9_BASE 0x40C64000 to GPIO10_BASE 0x40C68000 in the device headers' },
          target: 'gpio9',
        },
      ],
      regions: {
        itcm: zeroWaitRegion(
          'tcm',
          { value: 0x00000000, source: `SDK ${CM7_RAM_LINKER}: m_interrupts/m_text ORIGIN 0x00000000 (ITCM)` },
          { value: 0x40000, source: `SDK ${CM7_RAM_LINKER}: m_text up to 0x0003FFFF (256 KiB ITCM, the FlexRAM default split)` },
          TCM_TIMING_M7,
        ),
        dtcm: zeroWaitRegion(
          'tcm',
          { value: 0x20000000, source: `${CM7_LINKER}: m_data ORIGIN 0x20000000 (DTCM)` },
          { value: 0x40000, source: `${CM7_LINKER}: m_data LENGTH 0x00040000 (256 KiB DTCM)` },
          TCM_TIMING_M7,
        ),
        flexspi: cachedRegion(
          'xip',
          { value: FLEXSPI_BASE + 0x2000, source: `${CM7_LINKER}: m_interrupts at 0x30002000 (the vector table stays in flash: __VECTOR_RAM = ORIGIN(m_interrupts)), m_text from 0x30002400` },
          { value: FLEXSPI_MODELLED - 0x2000, source: 'Assumption: the rest of the first 1 MiB of the 16 MiB NOR, which is what is modelled' },
          'Cortex-M7 TRM DDI 0489 §5.9: fetches outside the TCMs go through the L1 instruction cache; the SDK SystemInit enables it (SCB_EnableICache)',
          { prefetch: {
            value: 'on',
            source:
              'The boot ROM enables FlexSPI AHB prefetch for XIP and the SDK keeps it (clock_config.c leaves FlexSPI1 alone with XIP_EXTERNAL_FLASH); ' +
              '8 AHB RX buffers, 4 KB (MIMXRT1176_cm7_features.h): a sequential line streams in while the previous one executes',
          }, source: 'Line fills are AXI bursts to the FlexSPI, timed by the flexspi memory (over the bus)' },
          { load: { value: 0, source: 'Assumption: no private data is placed in XIP flash (read-only there)' }, store: { value: 0, source: 'Assumption: no private data is placed in XIP flash' } },
        ),
        ocram: cachedRegion(
          'sram',
          { value: OCRAM_CODE_BASE, source: 'Assumption: code or data in OCRAM2 above the rpmsg shared memory (0x202D0000), as a user may place it' },
          { value: 0x10000, source: 'Assumption: 64 KiB of OCRAM2 for it' },
          'Cortex-M7 TRM DDI 0489 §5.9: OCRAM (AXI) code is fetched through the L1 instruction cache',
          { prefetch: { value: 'off', source: 'Assumption: no next-line prefetch on the OCRAM path' }, source: 'Line fills are bursts over the bus to the ocram memory' },
          { load: { value: 0, source: 'Assumption: private data in OCRAM hits the 32 KB L1 data cache (write-back, as the SDK MPU set-up maps OCRAM)' }, store: { value: 0, source: 'Assumption: stores hit the L1 data cache' } },
        ),
      },
      placement: {
        code: { value: 'flexspi', source: `${CM7_LINKER} (the example's default flexspi_nor build): .text in FlexSPI NOR, run in place` },
        data: { value: 'dtcm', source: `${CM7_LINKER}: .data, .bss, heap and stack in m_data (DTCM)` },
      },
      caches: [
        {
          kind: 'icache',
          sizeBytes: { value: 0x8000, source: CACHE_AN },
          lineBytes: { value: 32, source: CACHE_AN },
          ways: { value: 2, source: CACHE_AN },
          hitCycles: { value: 0, source: 'Assumption: a fetch that hits costs nothing beyond the path\'s CPI (measured at zero wait states)' },
          replacement: { value: 'round-robin', source: `Assumption: ${M7_TRM} does not describe the replacement policy; round-robin per set` },
          enabled: { value: true, source: `${BOARD_MPU}: SCB_EnableICache() after the MPU set-up` },
        },
        {
          kind: 'dcache',
          sizeBytes: { value: 0x8000, source: CACHE_AN },
          lineBytes: { value: 32, source: CACHE_AN },
          ways: { value: 4, source: CACHE_AN },
          hitCycles: {
            value: 1,
            source: `Assumption: a load or store that hits answers in one cycle as a DTCM access would (${M7_TRM}: hits are served by the L1 RAMs inside the core)`,
          },
          replacement: { value: 'round-robin', source: `Assumption: ${M7_TRM} does not describe the replacement policy; round-robin per set` },
          enabled: { value: true, source: `${BOARD_MPU}: SCB_EnableDCache() after the MPU set-up` },
          regions: [
            {
              base: { value: 0x20200000, source: `${BOARD_MPU}: the OCRAM region at 0x20200000` },
              size: { value: 0x200000, source: `${BOARD_MPU}: ARM_MPU_REGION_SIZE_2MB (OCRAM1, OCRAM2 and the ECC OCRAMs)` },
              policy: {
                value: 'write-back',
                source: `${BOARD_MPU}: ARM_MPU_RASR(0, ARM_MPU_AP_FULL, 0, 0, 1, 1, 0, ...): TEX 0, C 1, B 1 is Normal, write-back, no write-allocate (Armv7-M ARM B3.5.9 Table B3-13)`,
              },
            },
            {
              base: { value: OCRAM2_BASE, source: `${BOARD_MPU}: with __USE_SHMEM a region at __base_rpmsg_sh_mem (0x202C0000, ${CM7_LINKER})` },
              size: { value: SHMEM_REGION_SIZE, source: `${CM7_LINKER}: RPMSG_SHMEM_SIZE 0x2000 (__top_rpmsg_sh_mem - __base_rpmsg_sh_mem)` },
              policy: {
                value: 'non-cacheable',
                source: `${BOARD_MPU}: TEX 1, C 0, B 0 over rpmsg_sh_mem, Normal non-cacheable (docs/sources.md "Platform ports": the region is made non-cacheable by the MPU)`,
              },
            },
          ],
        },
      ],
    },
    {
      name: 'cm4',
      type: 'cortex-m4',
      clock: 'cm4',
      role: 'remote',
      nvic: {
        lines: { value: 218, source: `${CM4_HEADER}: IRQn_Type device interrupts 0..217 (ENET_QOS_PMT_IRQn = 217)` },
        priorityBits: { value: 4, source: `${CM4_HEADER}: __NVIC_PRIO_BITS 4` },
      },
      addressMap: [
        {
          base: {
            value: OCRAM2_BASE,
            source: `${CM4_LINKER}: rpmsg_sh_mem ORIGIN 0x202C0000, the same address as on the CM7 (one system address for OCRAM2)`,
          },
          size: {
            value: OCRAM2_SIZE,
            source: `Assumption: the whole 512 KiB OCRAM2 as on the CM7 (${CM4_LINKER} only lists its rpmsg_sh_mem part)`,
          },
          target: 'ocram',
        },
        {
          base: { value: 0x40c4c000, source: `${CM4_HEADER}: MUB_BASE 0x40C4C000` },
          size: { value: MU_SLOT_SIZE, source: 'Assumption: a 16 KiB slot like MUA (MUA_BASE 0x40C48000 + 0x4000 = MUB_BASE)' },
          target: 'mailbox',
        },
        {
          base: { value: GPIO9_BASE, source: `${CM4_HEADER}: GPIO9_BASE 0x40C64000 (the same address as on the CM7)` },
          size: { value: GPIO_SLOT_SIZE, source: 'Assumption: a 16 KiB slot as on the CM7' },
          target: 'gpio9',
        },
      ],
      regions: {
        tcml: zeroWaitRegion(
          'tcm',
          { value: 0x1ffe0000, source: `${CM4_LINKER}: m_interrupts/m_text ORIGIN 0x1FFE0000 (CM4 TCM lower half, code bus)` },
          { value: 0x20000, source: `${CM4_LINKER}: m_text up to 0x1FFFFFFF (128 KiB TCML)` },
          TCM_TIMING_M4,
        ),
        tcmu: zeroWaitRegion(
          'tcm',
          { value: 0x20000000, source: `${CM4_LINKER}: m_data ORIGIN 0x20000000 (CM4 TCM upper half, system bus)` },
          { value: 0x20000, source: `${CM4_LINKER}: m_data LENGTH 0x00020000 (128 KiB TCMU)` },
          TCM_TIMING_M4,
        ),
        ocram: cachedRegion(
          'sram',
          { value: OCRAM_CODE_BASE, source: 'Assumption: code in OCRAM2 above the rpmsg shared memory, as a user may place it' },
          { value: 0x10000, source: 'Assumption: 64 KiB of OCRAM2' },
          'i.MX RT1170 LMEM: code in OCRAM (system bus, 0x2000_0000 and up) is cached by the system-bus cache; modelled through the core\'s instruction cache entry, of the same size and line (an approximation)',
          { prefetch: { value: 'off', source: 'Assumption: no next-line prefetch' }, source: 'Line fills are bursts over the bus to the ocram memory' },
          { load: { value: 0, source: 'Assumption: private data in OCRAM hits the CM4 system-bus (LMEM) cache, which maps OCRAM write-back (the data cache entry below)' }, store: { value: 0, source: 'Assumption: stores hit the system-bus cache' } },
        ),
      },
      placement: {
        code: { value: 'tcml', source: `${CM4_LINKER}: .text in m_text (TCML)` },
        data: { value: 'tcmu', source: `${CM4_LINKER}: .data, .bss, heap and stack in m_data (TCMU)` },
      },
      caches: lmemCaches({
        sizeBytes: { value: 0x4000, source: LMEM },
        lineBytes: { value: 32, source: 'SDK devices/MIMXRT1176/MIMXRT1176_cm4_features.h: FSL_FEATURE_L1ICACHE_LINESIZE_BYTE / L1DCACHE_LINESIZE_BYTE 32 (the LMEM caches; the 16 B in fsl_cache.h comments is a stale Kinetis note)' },
        ways: { value: 2, source: LMEM },
        organisation: LMEM,
        icacheEnabled: {
            value: true,
            source: `Assumption: enabled, as the system-bus cache is; ${BOARD_MPU} (CM4 part) pushes and disables the code-bus cache (PCCCR) before its MPU set-up, its re-enabling was not seen`,
          },
        dcacheEnabled: { value: true, source: `${BOARD_MPU} (CM4 part): invalidates both ways of the system-bus cache and sets PSCCR.ENCACHE after the MPU set-up` },
        dcacheRegions: [
          {
            base: { value: 0x20200000, source: 'Assumption: the system-bus cache serves 0x20000000 and up; the OCRAM from 0x20200000 as on the CM7' },
            size: { value: 0x200000, source: 'Assumption: the 2 MB OCRAM span, as on the CM7' },
            policy: { value: 'write-back', source: 'Assumption: LMEM region mode write-back; LMEM allocates on read misses only (Kinetis RM LMEM chapter)' },
          },
          {
            base: { value: OCRAM2_BASE, source: `${BOARD_MPU} (CM4 part): with __USE_SHMEM an MPU region at the rpmsg_sh_mem start (${CM4_LINKER})` },
            size: { value: SHMEM_REGION_SIZE, source: `${CM4_LINKER}: rpmsg_sh_mem LENGTH 0x2000` },
            policy: { value: 'non-cacheable', source: `${BOARD_MPU} (CM4 part): ARM_MPU_RASR(0, ARM_MPU_AP_FULL, 2, 0, 0, 0, 0, ...): Device, non-cacheable` },
          },
        ],
      }),
    },
  ],
  memories: [
    {
      name: 'ocram',
      clock: 'bus',
      size: { value: OCRAM2_SIZE, source: `${CM7_LINKER}: OCRAM2 region 0x202C0000, LENGTH 0x00080000` },
      dataWidthBytes: {
        value: 8,
        source: 'SDK PERI_MECC.h (RT1170 OCRAM ECC controller): each OCRAM bank word is 64 bits (LOW/HIGH 32-bit halves + 8-bit ECC)',
      },
      readWaitStates: {
        value: 0,
        source:
          'Assumption: 0. MECC PIPE_ECC_EN.READ_DATA_WAIT_EN (offset 0x100) adds a read wait state when set; the SDK ' +
          'leaves it at reset and no cycle table for RT1170 OCRAM was found (docs/sources.md "Memory wait states")',
      },
      burstReadWaitStates: { value: 0, source: 'as readWaitStates: OCRAM answers each 64-bit beat of a burst as a single read (Assumption: no separate burst figure found)' },
      writeWaitStates: {
        value: 0,
        source: 'Assumption: 0, the MECC write pipeline bits left at reset as for reads (docs/sources.md "Memory wait states": no published figure)',
      },
    },
    {
      name: 'flexspi',
      clock: 'bus',
      size: { value: FLEXSPI_MODELLED, source: 'Assumption: the first 1 MiB of the 16 MiB NOR is modelled' },
      dataWidthBytes: { value: 32, source: 'Assumption: one 32-byte cache line per FlexSPI AHB read (the M7 line fill)' },
      readWaitStates: {
        value: 167,
        source:
          'Computed from the EVK flash set-up (SDK boards/evkmimxrt1170/xip/evkmimxrt1170_flexspi_nor_config.c: IS25WP128 ' +
          'QSPI NOR, LUT read 0xEB 1-4-4 SDR, 9 dummy cycles, serialClkFreq 133 MHz, CS setup/hold 3/3): 8 command + 6 ' +
          'address + 9 dummy + 64 data + 6 CS = 93 SCLK = 700 ns per 32-byte line, i.e. 168 BUS_CLK_ROOT (240 MHz) cycles = 1 + 167 ' +
          '(the 133 MHz serial clock is not a kernel clock; the time is what counts). FlexSPI controller overhead not added',
      },
      burstReadWaitStates: { value: 167, source: 'as readWaitStates: a line fill is one 32-byte beat, whose time readWaitStates already gives' },
      writeWaitStates: { value: 167, source: 'Assumption: as reads (code is never written in this model)' },
    },
  ],
  interconnect: {
    arbitration: {
      value: 'round-robin',
      source:
        'Assumption: OCRAM sits behind an Arm NIC-301, whose default per-slave arbitration is least-recently-granted; ' +
        'with two masters that alternates like round-robin',
    },
    syncCycles: {
      value: 2,
      source: 'Assumption: a two-flop synchroniser; the core clocks (ARM PLL, SYS PLL3 PFD) and BUS_CLK_ROOT are asynchronous',
    },
    responseSyncCycles: { value: 2, source: 'Assumption: a two-flop synchroniser on the way back, as for requests' },
  },
  peripheralBus: {
    clock: 'busLpsr',
    accessCycles: {
      value: 2,
      source: 'Assumption: one address and one data phase per IPS register access; no bridge wait states published',
    },
  },
  mailbox: {
    kind: 'nxp-mu',
    clock: 'busLpsr',
    crossingCycles: { value: 2, source: 'Assumption: a two-flop synchroniser between the two MU sides (the MU synchronises between two clock domains: Linux fsl,mu binding); no NXP cycle figure found' },
    sides: {
      cm7: {
        side: { value: 'A', source: 'rpmsg-lite porting/platform/imxrt1170/rpmsg_platform.c: CM7 builds use MUA (FSL_FEATURE_MU_SIDE_A)' },
        irq: { value: 118, source: `${CM7_HEADER}: MUA_IRQn = 118` },
      },
      cm4: {
        side: { value: 'B', source: 'rpmsg-lite porting/platform/imxrt1170/rpmsg_platform.c: CM4 builds use MUB (FSL_FEATURE_MU_SIDE_B)' },
        irq: { value: 118, source: `${CM4_HEADER}: MUB_IRQn = 118` },
      },
    },
  },
  gpio: {
    blocks: [{ name: 'gpio9', kind: 'imxrt-gpio' }],
    pins: {
      cm7: {
        block: 'gpio9',
        port: { value: 0, source: 'an i.MX GPIO instance is one 32-pin port' },
        pin: { value: 3, source: 'SDK evkmimxrt1170 board.h: BOARD_USER_LED_GPIO GPIO9, BOARD_USER_LED_GPIO_PIN 3U (the user LED, GPIO_AD_04)' },
      },
      cm4: {
        block: 'gpio9',
        port: { value: 0, source: 'an i.MX GPIO instance is one 32-pin port' },
        pin: {
          value: 4,
          source:
            'Assumption: the pin next to the user LED on the same port (the CM4 has no LED of its own in board.h); ' +
            'both cores share GPIO9, which DR_SET/DR_CLEAR make safe without a read-modify-write',
        },
      },
    },
  },
  rpmsg: {
    sharedMemoryBase: { value: OCRAM2_BASE, source: `${CM7_LINKER}: rpmsg_sh_mem ORIGIN 0x202C0000` },
    sharedMemorySize: {
      value: 0x2000,
      source: `${CM7_LINKER}: RPMSG_SHMEM_SIZE 0x2000 (the pingpong app uses SH_MEM_TOTAL_SIZE 6144 of it)`,
    },
    linkId: { value: 0, source: 'rpmsg-lite include/platform/imxrt1170/rpmsg_platform.h: RL_PLATFORM_IMXRT1170_M7_M4_LINK_ID 0' },
    irqPriority: {
      cm7: { value: 2, source: 'rpmsg-lite imxrt1170/rpmsg_platform.c platform_interrupt_disable: NVIC_SetPriority(MUA_IRQn, 2)' },
      cm4: {
        value: 2,
        source:
          'MCUXpresso MCMGR for RT1170 (mcmgr_late_init_internal): NVIC_SetPriority(MUB_IRQn, 2); the rpmsg-lite port sets none on side B',
      },
    },
  },
};
