// NXP i.MX 8M Mini: Cortex-A53 (rpmsg master; Linux in reality, modelled as a core running
// master firmware) and Cortex-M4 (remote), MU data channel 1 (A53 = side A, M4 = side B),
// shared memory in DDR. M4 values are from the MCUXpresso SDK header MIMX8MM6_cm4_COMMON.h;
// A53 values from Linux arch/arm64/boot/dts/freescale/imx8mm.dtsi; the port from
// rpmsg-lite porting/platform/imx8mm_m4. DDR timing is not published per access: see the
// assumptions on the `ddr` memory.

import type { PlatformDescription } from '../description/types';
import { cachedRegion, zeroWaitRegion } from '../common/regions';
import { lmemCaches } from '../common/caches';

const M4_HEADER = 'MIMX8MM6_cm4_COMMON.h (MCUXpresso SDK device header)';
const DTSI = 'Linux imx8mm.dtsi node mu: mailbox@30aa0000';
const DATASHEET = 'i.MX 8M Mini data sheet for consumer products (IMX8MMCEC)';
const SHARED_DDR_BASE = 0xb8000000;
// Only the DDR around the rpmsg reservation is simulated, to keep simulated memory small.
const SIMULATED_DDR_SIZE = 0x1000000;
const MU_SLOT_SIZE = 0x10000;
const A53_CODE_BASE = 0xb8200000;
const M4_DDR_CODE_BASE = 0xb8400000;
const TCM_TIMING = 'i.MX 8M Mini RM, CM4 TCM: TCML/TCMU zero-wait at the M4 clock';
const GPIO4_BASE = 0x30230000;
const GPIO5_BASE = 0x30240000;
const GPIO_SLOT_SIZE = 0x10000;
const A53_TRM = 'Cortex-A53 TRM (DDI 0500) and i.MX 8M Mini RM: L1 I 32 KB 2-way, L1 D 32 KB 4-way, 64-byte lines';
const LMEM =
  'Assumption: the i.MX 8M Mini CM4 has 16 KB code-bus and 16 KB system-bus LMEM caches (i.MX 8M Mini data sheet feature list); ' +
  'organisation as the LMEM chapter of the Kinetis K-series reference manuals gives it (2-way, 16-byte lines); the RM was not at hand';
// DDR as the EVK's Linux sees it (memory node 0x40000000, 2 GiB).
const DDR_BASE = 0x40000000;
const DDR_SIZE = 0x80000000;

export const imx8mm: PlatformDescription = {
  name: 'imx8mm',
  title: 'NXP i.MX 8M Mini: Cortex-A53 at 1.8 GHz + Cortex-M4 at 400 MHz',
  clocks: {
    a53: { value: 1_800_000_000, source: `${DATASHEET}: Cortex-A53 cores up to 1.8 GHz` },
    m4: { value: 400_000_000, source: `${DATASHEET}: Cortex-M4 up to 400 MHz` },
    ddr: {
      value: 750_000_000,
      source:
        'Assumption: DDR controller core clock of 750 MHz, half the 1500 MHz DRAM clock of LPDDR4-3000 as the EVK is ' +
        'set up (NXP community: "we run the imx8 DDR interface at 1500 (as configured in the RPA spreadsheet)")',
    },
    ipg: {
      value: 66_000_000,
      source:
        'Assumption: IPG_CLK_ROOT is 800 MHz / 12 = 66.67 MHz (Linux clk-imx8mm.c: mu_root_clk gated from ipg_root = ' +
        'ahb / 2, ahb = sys_pll1_133m); simulated as 66 MHz because kernel clocks are whole Hz and 66666667 Hz would ' +
        'leave no exact tick covering an hour',
    },
  },
  cores: [
    {
      name: 'a53',
      type: 'cortex-a53',
      clock: 'a53',
      role: 'master',
      nvic: {
        lines: {
          value: 128,
          source:
            `Assumption: 128 shared peripheral interrupts, the SoC interrupt map of ${M4_HEADER} (IRQn 0..127), which ` +
            'the GIC SPIs follow (MU_A53_IRQn = 88 there, GIC_SPI 88 in imx8mm.dtsi)',
        },
        priorityBits: {
          value: 5,
          source: 'Arm CoreLink GIC-500 TRM (DDI 0516): 32 priority levels, i.e. 5 implemented priority bits',
        },
      },
      addressMap: [
        {
          base: {
            value: SHARED_DDR_BASE,
            source: 'Linux imx8mm-evk.dts reserved-memory vdev0vring0 at 0xB8000000 (docs/sources.md "Platform ports"); DDR starts at 0x40000000',
          },
          size: {
            value: SIMULATED_DDR_SIZE,
            source: 'Assumption: 16 MiB of DDR simulated around the rpmsg reservation (0xB8000000..0xB84FFFFF in Linux)',
          },
          target: 'ddr',
        },
        {
          base: { value: 0x30aa0000, source: `${DTSI}: reg = <0x30aa0000 0x10000> (MU side A)` },
          size: { value: MU_SLOT_SIZE, source: `${DTSI}: reg size 0x10000` },
          target: 'mailbox',
        },
        {
          base: { value: GPIO4_BASE, source: 'Linux imx8mm.dtsi node gpio4: gpio@30230000, reg = <0x30230000 0x10000>' },
          size: { value: GPIO_SLOT_SIZE, source: 'Linux imx8mm.dtsi gpio nodes: reg size 0x10000' },
          target: 'gpio4',
        },
      ],
      regions: {
        ddr: cachedRegion(
          'ddr',
          { value: A53_CODE_BASE, source: 'Assumption: master firmware in DDR beside the rpmsg reservation (the A53 runs from DDR)' },
          { value: 0x100000, source: 'Assumption: 1 MiB for it' },
          'Cortex-A53 TRM (DDI 0500): instruction fetches go through the L1 instruction cache',
          { prefetch: { value: 'on', source: 'Cortex-A53 TRM (DDI 0500): the instruction fetch unit prefetches sequential lines' }, source: 'Line fills are bursts over the bus to the ddr memory: the first word at its read latency, the rest streaming (burstReadWaitStates); the 512 KB L2 is not modelled' },
          { load: { value: 0, source: 'Assumption: private data hits the 32 KB L1 data cache' }, store: { value: 0, source: 'Assumption: stores hit the L1 data cache' } },
        ),
      },
      placement: {
        code: { value: 'ddr', source: 'Assumption: the A53 runs from DDR (the only memory a Linux/A53 image uses)' },
        data: { value: 'ddr', source: 'Assumption: its data is in DDR, cached' },
      },
      // Not modelled: the 512 KB L2 shared by the four A53 cores; an L1 miss goes straight to DDR (pessimistic).
      caches: [
        {
          kind: 'icache',
          sizeBytes: { value: 0x8000, source: A53_TRM },
          lineBytes: { value: 64, source: A53_TRM },
          ways: { value: 2, source: A53_TRM },
          hitCycles: { value: 0, source: 'Assumption: a fetch that hits costs nothing beyond the path\'s CPI' },
          replacement: { value: 'round-robin', source: 'Assumption: round-robin per set; the Cortex-A53 TRM was not at hand for its L1 replacement policy' },
          enabled: { value: true, source: 'Linux runs with SCTLR_EL1.I set' },
        },
        {
          kind: 'dcache',
          sizeBytes: { value: 0x8000, source: A53_TRM },
          lineBytes: { value: 64, source: A53_TRM },
          ways: { value: 4, source: A53_TRM },
          hitCycles: { value: 3, source: 'Assumption: the A53 L1 D load-to-use latency of 3 cycles (commonly quoted; the TRM gives no table)' },
          replacement: { value: 'round-robin', source: 'Assumption: round-robin per set; the Cortex-A53 TRM was not at hand for its L1 replacement policy' },
          enabled: { value: true, source: 'Linux runs with SCTLR_EL1.C set' },
          regions: [
            {
              base: { value: DDR_BASE, source: 'Linux imx8mm-evk.dts memory@40000000' },
              size: { value: DDR_SIZE, source: 'Linux imx8mm-evk.dts memory reg size 0x80000000 (2 GiB)' },
              policy: { value: 'write-back-write-allocate', source: 'Linux maps system RAM Normal, inner/outer write-back read/write-allocate (MT_NORMAL, MAIR Attr 0xFF)' },
            },
            {
              base: { value: SHARED_DDR_BASE, source: 'Linux imx8mm-evk.dts reserved-memory vdev0vring0 at 0xB8000000 (no-map)' },
              size: { value: 0x80000, source: 'the platform\'s rpmsg shared memory size (rpmsg.sharedMemorySize)' },
              policy: {
                value: 'non-cacheable',
                source: 'Assumption: the reserved vrings and buffers are no-map and remoteproc/virtio map them write-combined (Normal non-cacheable), as imx_rproc does with ioremap_wc',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'm4',
      type: 'cortex-m4',
      clock: 'm4',
      role: 'remote',
      nvic: {
        lines: { value: 128, source: `${M4_HEADER}: NUMBER_OF_INT_VECTORS 144, device interrupts 0..127` },
        priorityBits: { value: 4, source: `${M4_HEADER}: __NVIC_PRIO_BITS 4` },
      },
      addressMap: [
        {
          base: {
            value: SHARED_DDR_BASE,
            source:
              'SDK evkmimx8mm board.h VDEV0_VRING_BASE 0xB8000000, used as is by the M4: the M4 sees DDR at the A53 address',
          },
          size: { value: SIMULATED_DDR_SIZE, source: 'Assumption: the same 16 MiB simulated window as on the A53' },
          target: 'ddr',
        },
        {
          base: { value: 0x30ab0000, source: `${M4_HEADER}: MUB_BASE 0x30AB0000` },
          size: { value: MU_SLOT_SIZE, source: 'Assumption: a 64 KiB slot like side A (imx8mm.dtsi reg size 0x10000)' },
          target: 'mailbox',
        },
        {
          base: { value: GPIO5_BASE, source: `${M4_HEADER}: GPIO5_BASE 0x30240000` },
          size: { value: GPIO_SLOT_SIZE, source: 'Assumption: 64 KiB, the distance between GPIOn_BASE in MIMX8MM6_cm4.h (GPIO1 0x30200000, GPIO2 0x30210000, ...)' },
          target: 'gpio5',
        },
      ],
      regions: {
        tcml: zeroWaitRegion(
          'tcm',
          { value: 0x1ffe0000, source: 'SDK devices/MIMX8MM6/gcc/MIMX8MM6xxxxx_cm4_ram.ld: m_interrupts/m_text ORIGIN 0x1FFE0000 (TCML)' },
          { value: 0x20000, source: 'SDK MIMX8MM6xxxxx_cm4_ram.ld: TCML 128 KiB' },
          TCM_TIMING,
        ),
        tcmu: zeroWaitRegion(
          'tcm',
          { value: 0x20000000, source: 'SDK MIMX8MM6xxxxx_cm4_ram.ld: m_data ORIGIN 0x20000000 (TCMU)' },
          { value: 0x20000, source: 'SDK MIMX8MM6xxxxx_cm4_ram.ld: TCMU 128 KiB' },
          TCM_TIMING,
        ),
        ddr: cachedRegion(
          'ddr',
          { value: M4_DDR_CODE_BASE, source: 'Assumption: the SDK ddr build places the M4 image in DDR; modelled beside the rpmsg reservation' },
          { value: 0x100000, source: 'Assumption: 1 MiB for it' },
          'i.MX 8M Mini RM, LMEM: the M4 system-bus cache covers DDR',
          { prefetch: { value: 'off', source: 'Assumption: no next-line prefetch' }, source: 'Line fills are bursts over the bus to the ddr memory (first word at its read latency, then streaming)' },
          { load: { value: 0, source: 'Assumption: private data in DDR hits the LMEM system cache' }, store: { value: 0, source: 'Assumption: stores hit the LMEM system cache' } },
        ),
      },
      placement: {
        code: { value: 'tcml', source: 'SDK evkmimx8mm rpmsg_lite_pingpong_rtos default (ram) build: .text in TCML' },
        data: { value: 'tcmu', source: 'SDK MIMX8MM6xxxxx_cm4_ram.ld: .data, .bss, stack and heap in TCMU' },
      },
      caches: lmemCaches({
        sizeBytes: { value: 0x4000, source: LMEM },
        lineBytes: { value: 16, source: 'SDK devices/MIMX8MM6/MIMX8MM6_cm4_features.h: FSL_FEATURE_L1ICACHE_LINESIZE_BYTE 16 (the LMEM caches)' },
        ways: { value: 2, source: LMEM },
        organisation: LMEM,
        icacheEnabled: { value: true, source: 'Assumption: the SDK evkmimx8mm start-up (BOARD_InitMemory) enables the LMEM caches after its MPU set-up (not verified here)' },
        dcacheEnabled: { value: true, source: 'Assumption: the SDK evkmimx8mm start-up (BOARD_InitMemory) enables the LMEM caches after its MPU set-up (not verified here)' },
        dcacheRegions: [
          {
            base: { value: DDR_BASE, source: 'SDK boards/evkmimx8mm/board.c BOARD_InitMemory: MPU regions 1 and 2 at 0x40000000 and 0x80000000, 1 GB each' },
            size: { value: DDR_SIZE, source: 'SDK evkmimx8mm board.c BOARD_InitMemory: the two 1 GB MPU regions over DDR' },
            policy: {
              value: 'non-cacheable',
              source: 'SDK evkmimx8mm board.c BOARD_InitMemory: regions 1 and 2 are Shared Device (B=1, not cacheable) in the default (ram) build; only the ddr build adds a write-back region over its own image',
            },
          },
          {
            base: { value: SHARED_DDR_BASE, source: 'SDK evkmimx8mm board.h VDEV0_VRING_BASE 0xB8000000' },
            size: { value: 0x80000, source: 'the platform\'s rpmsg shared memory size (rpmsg.sharedMemorySize)' },
            policy: { value: 'non-cacheable', source: 'docs/sources.md "Platform ports": the rpmsg port expects the DDR region non-cacheable for the M4 (its cache hooks are empty)' },
          },
        ],
      }),
    },
  ],
  memories: [
    {
      name: 'ddr',
      clock: 'ddr',
      size: { value: SIMULATED_DDR_SIZE, source: 'Assumption: 16 MiB simulated (see the address maps)' },
      dataWidthBytes: {
        value: 4,
        source:
          'Assumption: one 32-bit word per transaction: the shared region is non-cacheable for the M4 (docs/sources.md "Platform ports"), ' +
          'so every load or store is its own DRAM access and the per-beat wait states below stand for its whole latency',
      },
      readWaitStates: {
        value: 75,
        source:
          'Assumption: about 100 ns per uncached read (76 cycles at 750 MHz): LPDDR4 tRCD 18 ns + RL 28 nCK at ' +
          '1.5 GHz + tRP 18 ns is about 55 ns at the device (JESD209-4 figures as commonly quoted, not re-verified), ' +
          'roughly doubled for the controller and NoC; no i.MX 8M DDR cycle table was found (docs/sources.md "Memory wait states")',
      },
      burstReadWaitStates: {
        value: 0,
        source:
          'Assumption: after the first word (readWaitStates, about 100 ns), a line fill streams one 32-bit word per controller ' +
          'cycle (1.33 ns): LPDDR4-3000 x32 moves 4 bytes in 0.33 ns at the pins, faster than the 750 MHz controller clock, so ' +
          'the controller side sets the pace',
      },
      writeWaitStates: {
        value: 15,
        source: 'Assumption: about 21 ns (16 cycles at 750 MHz) per store, which the DDR controller posts into its write queue',
      },
    },
  ],
  interconnect: {
    arbitration: {
      value: 'round-robin',
      source: 'Assumption: equal-priority masters at the DDR controller port; the NoC QoS defaults are not published',
    },
    syncCycles: { value: 2, source: 'Assumption: a two-flop synchroniser between the core and DDR controller clock domains' },
    responseSyncCycles: { value: 2, source: 'Assumption: a two-flop synchroniser on the way back' },
  },
  peripheralBus: {
    clock: 'ipg',
    accessCycles: {
      value: 2,
      source: 'Assumption: one address and one data phase per IPS register access behind the AIPS bridge',
    },
  },
  mailbox: {
    kind: 'nxp-mu',
    clock: 'ipg',
    crossingCycles: { value: 2, source: 'Assumption: a two-flop synchroniser between the two MU sides (the MU synchronises between two clock domains: Linux fsl,mu binding); no NXP cycle figure found' },
    sides: {
      a53: {
        side: { value: 'A', source: 'docs/sources.md "Platform ports": the M4 uses MUB, so the A53 drives side A (its line is MU_A53_IRQn = 88)' },
        irq: { value: 88, source: `${DTSI}: interrupts = <GIC_SPI 88 IRQ_TYPE_LEVEL_HIGH> (GIC INTID 120)` },
      },
      m4: {
        side: { value: 'B', source: 'rpmsg-lite porting/platform/imx8mm_m4/rpmsg_platform.c: the M4 uses MUB' },
        irq: { value: 97, source: `${M4_HEADER}: MU_M4_IRQn = 97` },
      },
    },
  },
  gpio: {
    blocks: [
      { name: 'gpio4', kind: 'imx8m-gpio' },
      { name: 'gpio5', kind: 'imx8m-gpio' },
    ],
    pins: {
      a53: {
        block: 'gpio4',
        port: { value: 0, source: 'an i.MX GPIO instance is one 32-pin port' },
        pin: {
          value: 0,
          source:
            'Assumption: a pin of GPIO4, a port the A53 drives alone (no board.h pin for this: the A53 runs Linux in reality); ' +
            'each core has its own port because the 8M GPIO has no set/clear registers and two read-modify-writers of one DR would race',
        },
      },
      m4: {
        block: 'gpio5',
        port: { value: 0, source: 'an i.MX GPIO instance is one 32-pin port' },
        pin: { value: 8, source: 'Assumption: a pin of GPIO5 given to the M4 (the SDK evkmimx8mm board.h names no user LED); not an EVK-documented test point' },
      },
    },
  },
  rpmsg: {
    sharedMemoryBase: { value: SHARED_DDR_BASE, source: 'SDK evkmimx8mm board.h: VDEV0_VRING_BASE 0xB8000000' },
    sharedMemorySize: {
      value: 0x80000,
      source:
        'Assumption: 512 KiB: the port\'s RL_BUFFER_COUNT 256 needs 2 x 256 x 512-byte buffers (256 KiB) plus two ' +
        '256-entry vrings aligned to 0x1000, and 0xB8080000 stays below the resource table at 0xB80FF000',
    },
    linkId: { value: 0, source: 'rpmsg-lite include/platform/imx8mm_m4/rpmsg_platform.h: RL_PLATFORM_IMX8MM_M4_USER_LINK_ID 0' },
    irqPriority: {
      a53: {
        value: 20,
        source:
          'Assumption: Linux leaves SPIs at the GIC default priority 0xA0 (GICD_INT_DEF_PRI), i.e. 20 in units of the ' +
          '5 implemented bits',
      },
      m4: { value: 3, source: 'rpmsg-lite imx8mm_m4/rpmsg_platform.c: APP_MU_IRQ_PRIORITY 3 set in platform_init' },
    },
  },
};
