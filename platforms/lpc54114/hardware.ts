// NXP LPC54114: Cortex-M4F (rpmsg-lite master, as in the SDK rpmsg demos) and Cortex-M0+
// (remote) on one system clock, signalling through the LPC mailbox. Header values are from
// the MCUXpresso SDK headers LPC54114_cm4.h / LPC54114_cm0plus.h; the shared memory from the
// SDK linker file for the M0+ and the rpmsg-lite lpc5411x port.

import type { PlatformDescription } from '../description/types';
import { lpcFlashRegion, zeroWaitRegion } from '../common/regions';

const CM4_HEADER = 'LPC54114_cm4.h (MCUXpresso SDK device header)';
const CM0PLUS_HEADER = 'LPC54114_cm0plus.h (MCUXpresso SDK device header)';
const CM4_LINKER = 'SDK devices/LPC54114/gcc/LPC54114J256_cm4_ram.ld';
const CM0PLUS_LINKER = 'SDK devices/LPC54114/gcc/LPC54114J256_cm0plus_ram.ld';
const PORT = 'rpmsg-lite porting/platform/lpc5411x/rpmsg_platform.c';
const SRAM_TIMING = 'Assumption: on-chip SRAM on the AHB matrix at the system clock, zero wait states (UM10914 gives wait states for flash only)';
const SRAM2_BASE = 0x20020000;
const SRAM2_SIZE = 0x8000;
const MAILBOX_BASE = 0x4008b000;
const MAILBOX_SLOT_SIZE = 0x1000;
const GPIO_BASE = 0x1c000000;
const GPIO_SLOT_SIZE = 0x4000;
const GPIO_SLOT_SOURCE = 'Assumption: 16 KiB, enough for the registers up to DIRNOT[1] at 0x2484 (UM10914 GPIO register map)';

export const lpc54114: PlatformDescription = {
  name: 'lpc54114',
  title: 'NXP LPC54114: Cortex-M4F + Cortex-M0+ at 150 MHz',
  clocks: {
    main: {
      value: 150_000_000,
      source:
        'SDK boards/lpcxpresso54114/clock_config.c: BOARD_InitBootClocks() calls BOARD_BootClockPLL150M(), SystemCoreClock ' +
        '150000000 (clock_config.h), which the pingpong master runs; both cores and the AHB matrix share the system clock ' +
        '(LPC5411x data sheet)',
    },
  },
  cores: [
    {
      name: 'cm4',
      type: 'cortex-m4',
      clock: 'main',
      role: 'master',
      nvic: {
        lines: { value: 40, source: `${CM4_HEADER}: NUMBER_OF_INT_VECTORS 56, device interrupts 0..39` },
        priorityBits: { value: 3, source: `${CM4_HEADER}: __NVIC_PRIO_BITS 3` },
      },
      addressMap: [
        {
          base: { value: SRAM2_BASE, source: `${CM4_LINKER}: m_data ORIGIN 0x20020000` },
          size: { value: SRAM2_SIZE, source: `${CM4_LINKER}: m_data LENGTH 0x00008000` },
          target: 'sram2',
        },
        {
          base: { value: MAILBOX_BASE, source: `${CM4_HEADER}: MAILBOX_BASE 0x4008B000` },
          size: { value: MAILBOX_SLOT_SIZE, source: 'Assumption: a 4 KiB peripheral slot, as on the LPC55S69 with the same mailbox' },
          target: 'mailbox',
        },
        {
          base: { value: GPIO_BASE, source: 'LPC5411x user manual UM10914, memory map: GPIO at 0x1C000000 on the AHB matrix (LPC54114_cm4.h GPIO_BASE; not re-read for this value)' },
          size: { value: GPIO_SLOT_SIZE, source: GPIO_SLOT_SOURCE },
          target: 'gpio',
        },
      ],
      regions: {
        flash: lpcFlashRegion(
          { value: 0x00000000, source: 'UM10914 memory map: on-chip flash at 0x0000_0000' },
          { value: 0x40000, source: 'LPC5411x data sheet: 256 KB flash (LPC54114J256)' },
          { value: 7, source: 'SDK devices/LPC54114/drivers/fsl_clock.c CLOCK_SetFLASHAccessCyclesForFreq: above 100 MHz kCLOCK_Flash7Cycle, 7 system clocks per flash access (the driver value; the header\'s FLASHTIM field text lists other bands)' },
          'UM10914 flash accelerator: 128-bit (16-byte) flash lines',
        ),
        sramx: zeroWaitRegion(
          'sram',
          { value: 0x04000000, source: 'UM10914 memory map: SRAMX (32 KB) at 0x0400_0000 on the I/D code buses' },
          { value: 0x8000, source: 'UM10914: SRAMX 32 KB' },
          SRAM_TIMING,
        ),
        sram: zeroWaitRegion(
          'sram',
          { value: 0x20000000, source: 'UM10914 memory map: SRAM0 at 0x2000_0000' },
          { value: 0x10000, source: 'UM10914: SRAM0 64 KB' },
          SRAM_TIMING,
        ),
      },
      placement: {
        code: { value: 'flash', source: 'SDK devices/LPC54114/gcc/LPC54114J256_cm4_flash.ld (the pingpong cm4 build, flags.cmake): vectors at 0x0, .text in m_text (flash)' },
        data: { value: 'sram', source: 'SDK LPC54114J256_cm4_flash.ld: .data, .bss, heap and stack in m_data (SRAM0 0x20000000)' },
      },
    },
    {
      name: 'cm0plus',
      type: 'cortex-m0+',
      clock: 'main',
      role: 'remote',
      nvic: {
        lines: { value: 32, source: `${CM0PLUS_HEADER}: NUMBER_OF_INT_VECTORS 48, device interrupts 0..31` },
        priorityBits: { value: 2, source: `${CM0PLUS_HEADER}: __NVIC_PRIO_BITS 2` },
      },
      addressMap: [
        {
          base: { value: SRAM2_BASE, source: `${CM0PLUS_LINKER}: m_data ORIGIN 0x20020000 (the same address as on the M4)` },
          size: { value: SRAM2_SIZE, source: `${CM0PLUS_LINKER}: m_data 0x7FFF - RPMSG_SHMEM_SIZE, then rpmsg_sh_mem up to 0x20028000` },
          target: 'sram2',
        },
        {
          base: { value: MAILBOX_BASE, source: `${CM0PLUS_HEADER}: MAILBOX_BASE 0x4008B000` },
          size: { value: MAILBOX_SLOT_SIZE, source: 'Assumption: a 4 KiB peripheral slot, as for the M4' },
          target: 'mailbox',
        },
        {
          base: { value: GPIO_BASE, source: 'UM10914 memory map: GPIO at 0x1C000000, the same for the M0+ (one AHB matrix)' },
          size: { value: GPIO_SLOT_SIZE, source: GPIO_SLOT_SOURCE },
          target: 'gpio',
        },
      ],
      regions: {
        sram1: zeroWaitRegion(
          'sram',
          { value: 0x20010000, source: 'SDK LPC54114J256_cm0plus_flash.ld: m_interrupts/m_text in SRAM1 0x20010000, where the M4 copies the M0+ image (main_master.c CORE1_BOOT_ADDRESS)' },
          { value: 0x10000, source: 'UM10914: SRAM1 64 KB' },
          SRAM_TIMING,
        ),
        sram2: zeroWaitRegion(
          'sram',
          { value: SRAM2_BASE, source: `${CM0PLUS_LINKER}: m_data ORIGIN 0x20020000 (SRAM2)` },
          { value: 0x6800, source: 'SDK LPC54114J256_cm0plus_flash.ld (RAM-resident despite its name): m_data 0x20020000..0x200267FF, below rpmsg_sh_mem at 0x20026800' },
          SRAM_TIMING,
        ),
      },
      placement: {
        code: { value: 'sram1', source: 'SDK LPC54114J256_cm0plus_flash.ld: .text in SRAM1' },
        data: { value: 'sram2', source: 'SDK LPC54114J256_cm0plus_flash.ld: .data, .bss, heap and stack in m_data (SRAM2)' },
      },
    },
  ],
  memories: [
    {
      name: 'sram2',
      clock: 'main',
      size: {
        value: SRAM2_SIZE,
        source: `${CM4_LINKER}: the 32 KiB block at 0x20020000. Assumption: it is one SRAM bank on its own AHB matrix port`,
      },
      dataWidthBytes: { value: 4, source: 'Cortex-M4 and Cortex-M0+ TRMs: 32-bit AHB-Lite system interfaces' },
      readWaitStates: {
        value: 0,
        source: 'Assumption: 0; the LPC5411x user manual gives flash wait states only, SRAM is taken as single-cycle (docs/sources.md "Memory wait states")',
      },
      burstReadWaitStates: { value: 0, source: 'as readWaitStates: single-cycle SRAM, every beat alike (no caches on this SoC burst into it)' },
      writeWaitStates: { value: 0, source: 'Assumption: 0, as for reads' },
    },
  ],
  interconnect: {
    arbitration: {
      value: 'round-robin',
      source:
        'Assumption: SYSCON AHBMATPRIO leaves every master at priority 0 after reset and equal priorities are served ' +
        'round-robin, as UM10503 3.6 states for the NXP multilayer AHB matrix',
    },
    syncCycles: { value: 0, source: 'Both cores, the AHB matrix and SRAM run on the system clock: no synchroniser' },
    responseSyncCycles: { value: 0, source: 'Same clock both ways: no synchroniser' },
  },
  peripheralBus: {
    clock: 'main',
    accessCycles: {
      value: 2,
      source: 'Assumption: one AHB address phase and one data phase with no wait states (the mailbox is an AHB peripheral at 0x4008B000)',
    },
  },
  mailbox: {
    kind: 'lpc-mailbox',
    clock: 'main',
    crossingCycles: { value: 0, source: 'Both CPUs and the mailbox run on the one system clock: a request word drives the other CPU\'s line at once (no synchroniser)' },
    sides: {
      cm4: {
        side: { value: 1, source: 'fsl_mailbox.h (LPC54114): kMAILBOX_CM4 = 1, the index of its MBOXIRQ register' },
        irq: { value: 31, source: `${CM4_HEADER}: MAILBOX_IRQn = 31` },
      },
      cm0plus: {
        side: { value: 0, source: 'fsl_mailbox.h (LPC54114): kMAILBOX_CM0Plus = 0' },
        irq: { value: 31, source: `${CM0PLUS_HEADER}: MAILBOX_IRQn = 31` },
      },
    },
  },
  gpio: {
    blocks: [{ name: 'gpio', kind: 'lpc-gpio' }],
    pins: {
      cm4: {
        block: 'gpio',
        port: { value: 0, source: 'SDK lpcxpresso54114 board.h: BOARD_LED_RED_GPIO_PORT 0U (the red LED, PIO0_29)' },
        pin: { value: 29, source: 'SDK lpcxpresso54114 board.h: BOARD_LED_RED_GPIO_PIN 29U' },
      },
      cm0plus: {
        block: 'gpio',
        port: { value: 0, source: 'SDK lpcxpresso54114 board.h: BOARD_LED_GREEN_GPIO_PORT 0U (the green LED, PIO0_30)' },
        pin: { value: 30, source: 'SDK lpcxpresso54114 board.h: BOARD_LED_GREEN_GPIO_PIN 30U' },
      },
    },
  },
  rpmsg: {
    sharedMemoryBase: {
      value: 0x20026800,
      source: `${CM0PLUS_LINKER}: rpmsg_sh_mem ORIGIN 0x20026800; Zephyr LPC54114 rpmsg sample: RPMSG_LITE_SHMEM_BASE 0x20026800`,
    },
    sharedMemorySize: { value: 0x1800, source: `${CM0PLUS_LINKER}: RPMSG_SHMEM_SIZE 0x1800` },
    linkId: { value: 0, source: 'rpmsg-lite include/platform/lpc5411x/rpmsg_platform.h: RL_PLATFORM_LPC5411x_M4_M0_LINK_ID 0' },
    irqPriority: {
      cm4: { value: 5, source: `${PORT} platform_init_interrupt: NVIC_SetPriority(MAILBOX_IRQn, 5) on side A (the M4)` },
      cm0plus: { value: 2, source: `${PORT} platform_init_interrupt: NVIC_SetPriority(MAILBOX_IRQn, 2) on side B (the M0+)` },
    },
  },
};
