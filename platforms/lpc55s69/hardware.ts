// NXP LPC55S69: two Cortex-M33 on one system clock; core 0 runs the rpmsg-lite master,
// core 1 the remote; they signal each other through the LPC mailbox. Header values are from
// the MCUXpresso SDK headers LPC55S69_cm33_core0/core1 (IRQs, priority bits, base
// addresses); the shared memory from the SDK example lpcxpresso55s69/multicore_examples/
// rpmsg_lite_pingpong.

import type { PlatformDescription } from '../description/types';
import { lpcFlashRegion, zeroWaitRegion } from '../common/regions';

const CORE0_HEADER = 'LPC55S69_cm33_core0 device header (MCUXpresso SDK)';
const CORE1_HEADER = 'LPC55S69_cm33_core1.h (MCUXpresso SDK)';
const CORE0_LINKER = 'SDK lpcxpresso55s69 rpmsg_lite_pingpong cm33_core0/armgcc/LPC55S69_cm33_core0_flash.ld';
const PORT = 'rpmsg-lite porting/platform/lpc55s69/rpmsg_platform.c';
const CORE1_LINKER = 'SDK devices/LPC55S69/gcc/LPC55S69_cm33_core1_ram.ld (the rpmsg_lite_pingpong core1 default build, flags.cmake)';
const SRAM_TIMING = 'Assumption: on-chip SRAM on the AHB matrix at the system clock, zero wait states (UM11126 gives wait states for flash only)';
const SRAM3_BASE = 0x20030000;
const SRAM3_SIZE = 0x10000;
const MAILBOX_BASE = 0x4008b000;
// The next peripheral (GPIO) starts at 0x4008C000.
const MAILBOX_SLOT_SIZE = 0x1000;
const GPIO_BASE = 0x4008c000;
// The GPIO registers run to DIRNOT[1] at 0x2484: more than a 4 KiB slot.
const GPIO_SLOT_SIZE = 0x4000;
const GPIO_SLOT_SOURCE = 'Assumption: 16 KiB, enough for the registers up to DIRNOT[1] at 0x2484 (UM11126 GPIO register map); the next peripheral is not modelled';

// Regions both cores see alike.
const FLASH_ACCESS = { value: 11, source: 'SDK devices/LPC55S69/drivers/fsl_clock.c CLOCK_SetFLASHAccessCyclesForFreq(150 MHz): FMCCR FLASHTIM 11, i.e. 12 system clocks per flash access (the header field text: "12 system clocks flash access time (for system clock rates up to 150 MHz)")' };
const FLASH_LINE = 'The LPC55 flash controller reads 128-bit words (FLASH DATAW[0..3], 4 x 32 bits; AN12949 ch. 2: 16-byte program units)';
const SRAMX = zeroWaitRegion(
  'sram',
  { value: 0x04000000, source: 'UM11126 memory map: SRAMX (32 KB) at 0x0400_0000 on the code bus' },
  { value: 0x8000, source: 'UM11126: SRAMX 32 KB' },
  SRAM_TIMING,
);
const SRAM0_2 = zeroWaitRegion(
  'sram',
  { value: 0x20000000, source: 'UM11126 memory map: SRAM0 at 0x2000_0000' },
  { value: 0x30000, source: 'UM11126: SRAM0..SRAM2, 192 KB below SRAM3' },
  SRAM_TIMING,
);

export const lpc55s69: PlatformDescription = {
  name: 'lpc55s69',
  title: 'NXP LPC55S69: two Cortex-M33 at 150 MHz',
  clocks: {
    main: {
      value: 150_000_000,
      source:
        'LPC55S6x data sheet: Cortex-M33 cores up to 150 MHz; SDK clock_config.h BOARD_BOOTCLOCKPLL150M_CORE_CLOCK 150000000. ' +
        'UM11126 (LPC55S6x user manual): both CPUs and the AHB matrix run on the system clock',
    },
  },
  cores: [
    {
      name: 'core0',
      type: 'cortex-m33',
      clock: 'main',
      role: 'master',
      nvic: {
        lines: { value: 60, source: `${CORE0_HEADER}: IRQn_Type device interrupts 0..59 (FLEXCOMM8_IRQn = 59)` },
        priorityBits: { value: 3, source: `${CORE0_HEADER}: __NVIC_PRIO_BITS 3` },
      },
      addressMap: [
        {
          base: {
            value: SRAM3_BASE,
            source: 'UM11126 memory map: SRAM3 (64 KB) at 0x20030000; it holds rpmsg_sh_mem 0x20031800 of ' + CORE0_LINKER,
          },
          size: { value: SRAM3_SIZE, source: 'UM11126 memory map: SRAM3 is 64 KB' },
          target: 'sram3',
        },
        {
          base: {
            value: MAILBOX_BASE,
            source: `${CORE0_HEADER}: MAILBOX_BASE 0x4008B000 (non-secure alias; a TrustZone-secure build uses 0x5008B000)`,
          },
          size: { value: MAILBOX_SLOT_SIZE, source: 'Assumption: a 4 KiB peripheral slot (GPIO_BASE is 0x4008C000 in the same header)' },
          target: 'mailbox',
        },
        {
          base: { value: GPIO_BASE, source: `${CORE0_HEADER}: GPIO_BASE 0x4008C000 (non-secure alias; GPIO_BASE 0x5008C000 when built secure)` },
          size: { value: GPIO_SLOT_SIZE, source: GPIO_SLOT_SOURCE },
          target: 'gpio',
        },
      ],
      regions: {
        flash: lpcFlashRegion(
          { value: 0x00000000, source: 'UM11126 memory map: on-chip flash at 0x0000_0000' },
          { value: 0xa0000, source: 'UM11126: 640 KB on-chip flash (LPC55S69)' },
          FLASH_ACCESS,
          FLASH_LINE,
        ),
        sramx: SRAMX,
        sram: SRAM0_2,
      },
      placement: {
        code: { value: 'flash', source: CORE0_LINKER + ': .text in m_text (flash)' },
        data: { value: 'sram', source: CORE0_LINKER + ': .data, .bss, stack and heap in m_data (SRAM)' },
      },
    },
    {
      name: 'core1',
      type: 'cortex-m33',
      clock: 'main',
      role: 'remote',
      nvic: {
        lines: { value: 60, source: `${CORE1_HEADER}: NUMBER_OF_INT_VECTORS 76, i.e. device interrupts 0..59` },
        priorityBits: { value: 3, source: `${CORE1_HEADER}: __NVIC_PRIO_BITS 3` },
      },
      addressMap: [
        {
          base: {
            value: SRAM3_BASE,
            source: 'UM11126 memory map: SRAM3 at 0x20030000 for both CPUs (the master hands core 1 the same shared-memory address)',
          },
          size: { value: SRAM3_SIZE, source: 'UM11126 memory map: SRAM3 is 64 KB' },
          target: 'sram3',
        },
        {
          base: { value: MAILBOX_BASE, source: `${CORE1_HEADER}: MAILBOX_BASE 0x4008B000` },
          size: { value: MAILBOX_SLOT_SIZE, source: 'Assumption: a 4 KiB peripheral slot, as for core 0' },
          target: 'mailbox',
        },
        {
          base: { value: GPIO_BASE, source: `${CORE1_HEADER}: GPIO_BASE 0x4008C000 (the same block as core 0 sees)` },
          size: { value: GPIO_SLOT_SIZE, source: GPIO_SLOT_SOURCE },
          target: 'gpio',
        },
      ],
      regions: {
        sram3: zeroWaitRegion(
          'sram',
          { value: 0x20033000, source: `${CORE1_LINKER}: m_interrupts ORIGIN 0x20033000` },
          { value: 0xc800, source: `${CORE1_LINKER}: m_interrupts + m_text up to 0x2003F7FF` },
          `${SRAM_TIMING}; core1 fetches it on its S-AHB bus, no penalty documented for the M33 (contention with the shared memory in the same SRAM3 is not modelled for fetches)`,
        ),
        sram4: zeroWaitRegion(
          'sram',
          { value: 0x2003f800, source: `${CORE1_LINKER}: m_data ORIGIN 0x2003F800` },
          { value: 0x4800, source: `${CORE1_LINKER}: m_data up to 0x20043FFF (SRAM4)` },
          SRAM_TIMING,
        ),
        flash: lpcFlashRegion(
          { value: 0x00072000, source: 'SDK LPC55S69_cm33_core1_flash.ld (the alternative flash build): vectors and .text from 0x00072000' },
          { value: 0x2e000, source: 'UM11126: 640 KB flash; from 0x72000 to its end at 0xA0000' },
          FLASH_ACCESS,
          FLASH_LINE,
        ),
        sramx: SRAMX,
        sram: SRAM0_2,
      },
      placement: {
        code: { value: 'sram3', source: `${CORE1_LINKER}: vectors and .text in SRAM3 from 0x20033000 (core0 copies the image there)` },
        data: { value: 'sram4', source: `${CORE1_LINKER}: .data, .bss, heap and stack from 0x2003F800 (end of SRAM3, SRAM4)` },
      },
    },
  ],
  memories: [
    {
      name: 'sram3',
      clock: 'main',
      size: { value: SRAM3_SIZE, source: 'UM11126 memory map: SRAM3 is 64 KB' },
      dataWidthBytes: { value: 4, source: 'Cortex-M33 TRM: 32-bit AHB5 system interfaces; the AHB matrix is 32 bits wide' },
      readWaitStates: {
        value: 0,
        source:
          'Assumption: 0. UM11126 gives wait states for flash only (FMC); on-chip SRAM on the AHB matrix is taken as ' +
          'single-cycle at the system clock (no LPC55 figure was found: docs/sources.md "Memory wait states")',
      },
      burstReadWaitStates: { value: 0, source: 'as readWaitStates: single-cycle SRAM, every beat alike (no caches on this SoC burst into it)' },
      writeWaitStates: { value: 0, source: 'Assumption: 0, as for reads' },
    },
  ],
  interconnect: {
    arbitration: {
      value: 'round-robin',
      source:
        'UM11126 SYSCON AHBMATPRIO: every master at priority 0 after reset. Assumption: equal priorities are served ' +
        'round-robin, as UM10503 3.6 states for the same NXP multilayer AHB matrix on LPC43xx',
    },
    syncCycles: { value: 0, source: 'Cores, AHB matrix and SRAM share the system clock: no synchroniser (UM11126 clocking)' },
    responseSyncCycles: { value: 0, source: 'Same clock both ways: no synchroniser' },
  },
  peripheralBus: {
    clock: 'main',
    accessCycles: {
      value: 2,
      source:
        'Assumption: one AHB address phase and one data phase with no wait states; the mailbox at 0x4008B000 is in ' +
        'the AHB peripheral range of the UM11126 memory map',
    },
  },
  mailbox: {
    kind: 'lpc-mailbox',
    clock: 'main',
    crossingCycles: { value: 0, source: 'Both CPUs and the mailbox run on the one system clock: a request word drives the other CPU\'s line at once (no synchroniser)' },
    sides: {
      core0: {
        side: { value: 1, source: 'fsl_mailbox.h (LPC55S69): kMAILBOX_CM33_Core0 = 1, the index of its MBOXIRQ register' },
        irq: { value: 31, source: `${CORE0_HEADER}: MAILBOX_IRQn = 31` },
      },
      core1: {
        side: { value: 0, source: 'fsl_mailbox.h (LPC55S69): kMAILBOX_CM33_Core1 = 0' },
        irq: { value: 31, source: `${CORE1_HEADER}: MAILBOX_IRQn = 31` },
      },
    },
  },
  gpio: {
    blocks: [{ name: 'gpio', kind: 'lpc-gpio' }],
    pins: {
      core0: {
        block: 'gpio',
        port: { value: 1, source: 'SDK lpcxpresso55s69 board.h: BOARD_LED_GREEN_GPIO_PORT 1U (the green LED, PIO1_7)' },
        pin: { value: 7, source: 'SDK lpcxpresso55s69 board.h: BOARD_LED_GREEN_GPIO_PIN 7U' },
      },
      core1: {
        block: 'gpio',
        port: { value: 1, source: 'SDK lpcxpresso55s69 board.h: BOARD_LED_BLUE_GPIO_PORT 1U (the blue LED, PIO1_4)' },
        pin: { value: 4, source: 'SDK lpcxpresso55s69 board.h: BOARD_LED_BLUE_GPIO_PIN 4U' },
      },
    },
  },
  rpmsg: {
    sharedMemoryBase: { value: 0x20031800, source: `${CORE0_LINKER}: rpmsg_sh_mem ORIGIN 0x20033000 - RPMSG_SHMEM_SIZE` },
    sharedMemorySize: { value: 0x1800, source: `${CORE0_LINKER}: RPMSG_SHMEM_SIZE 0x1800` },
    linkId: { value: 0, source: 'rpmsg-lite include/platform/lpc55s69/rpmsg_platform.h: RL_PLATFORM_LPC55S69_M33_M33_LINK_ID 0' },
    irqPriority: {
      core0: { value: 5, source: `${PORT} platform_init_interrupt: NVIC_SetPriority(MAILBOX_IRQn, 5)` },
      core1: { value: 5, source: `${PORT} platform_init_interrupt: NVIC_SetPriority(MAILBOX_IRQn, 5) (the same code on both cores)` },
    },
  },
};
