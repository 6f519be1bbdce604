import { DEFAULT_PLATFORM, PLATFORMS, describePlatform, listPlatforms, loadPlatform } from '../registry';
import { ConfigError, InternalError, Kernel } from '../../sim/kernel';
import type { Peripheral } from '../../sim/hw/peripheral';
import type { PlatformDescription } from './types';
import { PlatformConfigError, mailboxWindowOf, resolvePlatform } from './load';
import { buildSoc } from '../../sim/hw/soc';

/** The message a loader call throws ('' if it does not throw). */
function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return '';
}

/** A copy of a registered platform to break by hand. */
function copyOf(name: string): PlatformDescription {
  return structuredClone(PLATFORMS[name]!.hardware);
}

describe('the registry', () => {
  test('lists the four platforms and defaults to the i.MX RT1170', () => {
    expect(listPlatforms()).toEqual(['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114']);
    expect(DEFAULT_PLATFORM).toBe('imxrt1170');
    for (const name of listPlatforms()) expect(PLATFORMS[name]!.hardware.name).toBe(name);
  });

  test('an unknown platform is a ConfigError naming the known ones', () => {
    expect(errorOf(() => loadPlatform('stm32mp1'))).toBe(
      'unknown platform "stm32mp1"; known platforms: imxrt1170, lpc55s69, imx8mm, lpc54114',
    );
  });
});

describe('each platform loads with its key values', () => {
  test.each(['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114'])('%s loads, every number with a source', (name) => {
    const p = loadPlatform(name);
    expect(p.name).toBe(name);
    expect(p.cores.map((c) => c.role)).toEqual(['master', 'remote']);
    const sources = Object.entries(p.sources);
    expect(sources.length).toBeGreaterThan(20);
    for (const [path, source] of sources) expect([path, source.trim().length > 10]).toEqual([path, true]);
    expect(Object.isFrozen(p.cores[0].addressMap[0])).toBe(true);
  });

  test('imxrt1170: CM7 master on MU side A, CM4 remote on side B, OCRAM2 shared at one address', () => {
    const p = loadPlatform('imxrt1170');
    expect(p.clocks).toEqual({ cm7: 996_000_000, cm4: 400_000_000, bus: 240_000_000, busLpsr: 160_000_000 });
    const [cm7, cm4] = p.cores;
    expect([cm7.name, cm7.type, cm7.clock, cm7.nvic]).toEqual(['cm7', 'cortex-m7', 'cm7', { lines: 218, priorityBits: 4 }]);
    expect([cm4.name, cm4.type, cm4.clock, cm4.nvic]).toEqual(['cm4', 'cortex-m4', 'cm4', { lines: 218, priorityBits: 4 }]);
    expect(cm7.addressMap).toEqual([
      { base: 0x202c0000, size: 0x80000, target: 'ocram', targetOffset: 0 },
      { base: 0x30000000, size: 0x100000, target: 'flexspi', targetOffset: 0 },
      { base: 0x40c48000, size: 0x4000, target: 'mailbox', targetOffset: 0 },
      { base: 0x40c64000, size: 0x4000, target: 'gpio9', targetOffset: 0 },
    ]);
    // The SDK's placement: the CM7 executes in place from the QSPI NOR through its I-cache, data in DTCM; the CM4 runs from its TCM.
    expect([cm7.placement, cm7.regions[cm7.placement.code]!.fetch, cm7.regions[cm7.placement.code]!.base]).toEqual([{ code: 'flexspi', data: 'dtcm' }, 'cache', 0x30002000]);
    expect([cm4.placement, cm4.regions[cm4.placement.code]!.fetch]).toEqual([{ code: 'tcml', data: 'tcmu' }, 'direct']);
    expect(cm4.addressMap).toEqual([
      { base: 0x202c0000, size: 0x80000, target: 'ocram', targetOffset: 0 },
      { base: 0x40c4c000, size: 0x4000, target: 'mailbox', targetOffset: 0 },
      { base: 0x40c64000, size: 0x4000, target: 'gpio9', targetOffset: 0 },
    ]);
    // the user LED for the CM7 (board.h), the pin next to it for the CM4
    expect(p.gpio).toEqual({
      blocks: [{ name: 'gpio9', kind: 'imxrt-gpio' }],
      pins: { cm7: { block: 'gpio9', port: 0, pin: 3 }, cm4: { block: 'gpio9', port: 0, pin: 4 } },
    });
    expect(p.memories).toEqual([
      { name: 'ocram', clock: 'bus', size: 0x80000, dataWidthBytes: 8, readWaitStates: 0, burstReadWaitStates: 0, writeWaitStates: 0 },
      { name: 'flexspi', clock: 'bus', size: 0x100000, dataWidthBytes: 32, readWaitStates: 167, burstReadWaitStates: 167, writeWaitStates: 167 },
    ]);
    expect(p.mailbox).toEqual({ kind: 'nxp-mu', clock: 'busLpsr', crossingCycles: 2, sides: { cm7: { side: 'A', irq: 118 }, cm4: { side: 'B', irq: 118 } } });
    expect(p.rpmsg).toEqual({ sharedMemoryBase: 0x202c0000, sharedMemorySize: 0x2000, linkId: 0, irqPriority: { cm7: 2, cm4: 2 } });
    expect(p.sources['cores.cm7.nvic.priorityBits']).toBe('MIMXRT1176_cm7_COMMON.h (MCUXpresso SDK device header): __NVIC_PRIO_BITS 4');
  });

  test('lpc55s69: two M33 on one 150 MHz clock, shared SRAM at 0x20031800', () => {
    const p = loadPlatform('lpc55s69');
    expect(p.clocks).toEqual({ main: 150_000_000 });
    expect(p.cores.map((c) => [c.name, c.type, c.nvic.priorityBits])).toEqual([
      ['core0', 'cortex-m33', 3],
      ['core1', 'cortex-m33', 3],
    ]);
    expect(p.rpmsg.sharedMemoryBase).toBe(0x20031800);
    expect(p.rpmsg.sharedMemorySize).toBe(0x1800);
    expect(p.mailbox).toEqual({ kind: 'lpc-mailbox', clock: 'main', crossingCycles: 0, sides: { core0: { side: 1, irq: 31 }, core1: { side: 0, irq: 31 } } });
    expect(p.cores[0].addressMap[1]).toEqual({ base: 0x4008b000, size: 0x1000, target: 'mailbox', targetOffset: 0 });
    expect(p.interconnect).toEqual({ arbitration: 'round-robin', priorityOrder: [], syncCycles: 0, responseSyncCycles: 0 });
  });

  test('imx8mm: A53 master on MU side A (GIC SPI 88), M4 remote on side B (MU_M4_IRQn 97), shared DDR', () => {
    const p = loadPlatform('imx8mm');
    expect(p.clocks).toEqual({ a53: 1_800_000_000, m4: 400_000_000, ddr: 750_000_000, ipg: 66_000_000 });
    expect(p.cores.map((c) => c.type)).toEqual(['cortex-a53', 'cortex-m4']);
    expect(p.mailbox.sides).toEqual({ a53: { side: 'A', irq: 88 }, m4: { side: 'B', irq: 97 } });
    expect(p.rpmsg.sharedMemoryBase).toBe(0xb8000000);
    // A line fill pays the first word's latency once, then streams (the A53's and M4's cache fills).
    expect(p.memories[0]).toMatchObject({ name: 'ddr', readWaitStates: 75, burstReadWaitStates: 0, writeWaitStates: 15 });
    expect(p.sources['memories.ddr.readWaitStates']).toMatch(/^Assumption: /);
  });

  test('lpc54114: M4 master, M0+ remote with 2 priority bits, shared SRAM at 0x20026800', () => {
    const p = loadPlatform('lpc54114');
    expect(p.cores.map((c) => [c.name, c.type, c.role, c.nvic.priorityBits])).toEqual([
      ['cm4', 'cortex-m4', 'master', 3],
      ['cm0plus', 'cortex-m0+', 'remote', 2],
    ]);
    expect(p.mailbox.sides).toEqual({ cm4: { side: 1, irq: 31 }, cm0plus: { side: 0, irq: 31 } });
    expect(p.rpmsg).toEqual({ sharedMemoryBase: 0x20026800, sharedMemorySize: 0x1800, linkId: 0, irqPriority: { cm4: 5, cm0plus: 2 } });
  });
});

describe('the kernel accepts each clock set', () => {
  test('imxrt1170: 996 MHz, 400 MHz, 240 MHz and 160 MHz give a 996 GHz tick', () => {
    // 996e6 = 2^8·3·5^6·83, 400e6 = 2^10·5^8, 240e6 = 2^10·3·5^7, 160e6 = 2^11·5^7, 1e9 = 2^9·5^9;
    // lcm = 2^11·3·5^9·83 = 4e9·3·83 = 996e9. 2^53 ticks of 1/996e9 s last 9043 s (2.5 h).
    const k = new Kernel({ clocks: { ...loadPlatform('imxrt1170').clocks } });
    expect(k.timebase.tickHz).toBe(996e9);
    expect([k.clock('cm7').period, k.clock('cm4').period, k.clock('bus').period, k.clock('busLpsr').period]).toEqual([
      1000, 2490, 4150, 6225,
    ]);
    expect(k.timebase.ns(1)).toBe(996);
  });

  test('lpc55s69: 150 MHz gives a 3 GHz tick; lpc54114: 150 MHz too', () => {
    const lpc55 = new Kernel({ clocks: { ...loadPlatform('lpc55s69').clocks } });
    expect([lpc55.timebase.tickHz, lpc55.clock('main').period]).toEqual([3e9, 20]);
    const lpc54 = new Kernel({ clocks: { ...loadPlatform('lpc54114').clocks } });
    expect([lpc54.timebase.tickHz, lpc54.clock('main').period]).toEqual([3e9, 20]);
  });

  test('imx8mm: 1.8 GHz, 400 MHz, 750 MHz and 66 MHz give a 198 GHz tick', () => {
    // 1.8e9 = 2^9·3^2·5^8, 400e6 = 2^10·5^8, 750e6 = 2^7·3·5^9, 66e6 = 2^7·3·5^6·11;
    // lcm with 1e9 = 2^10·3^2·5^9·11 = 2e9·99 = 198e9.
    const k = new Kernel({ clocks: { ...loadPlatform('imx8mm').clocks } });
    expect(k.timebase.tickHz).toBe(198e9);
    expect([k.clock('a53').period, k.clock('m4').period, k.clock('ddr').period, k.clock('ipg').period]).toEqual([
      110, 495, 264, 3000,
    ]);
  });

  test('the SoC builder takes each platform', () => {
    const mailbox: Peripheral = { name: 'mailbox', windowSize: 0x100, read: () => 0, write: () => undefined };
    for (const name of listPlatforms()) {
      const p = loadPlatform(name);
      const gpio = Object.fromEntries(p.gpio.blocks.map((b) => [b.name, { ...mailbox, name: b.name }]));
      const soc = buildSoc(new Kernel({ clocks: { ...p.clocks } }), p, { mailbox, ...gpio });
      expect(soc.cores.map((c) => c.name)).toEqual(p.cores.map((c) => c.name));
      expect([...soc.memories.keys()]).toEqual(p.memories.map((m) => m.name));
    }
  });
});

describe('overrides by dotted path', () => {
  test('set a clock, a wait state and a priority width; the registered platform is untouched', () => {
    const p = loadPlatform('imxrt1170', {
      'clocks.cm7': 800_000_000,
      'memories.ocram.readWaitStates': 2,
      'cores.cm4.nvic.priorityBits': 3,
    });
    expect(p.clocks.cm7).toBe(800_000_000);
    expect(p.memories[0]!.readWaitStates).toBe(2);
    expect(p.cores[1].nvic.priorityBits).toBe(3);
    expect(p.sources['clocks.cm7']).toBe(
      'override (the platform says 996000000: SDK evkmimxrt1170 clock_config.h (BOARD_BootClockRUN): ' +
        'BOARD_BOOTCLOCKRUN_M7_CLK_ROOT = 996000000 (the data sheet rates the M7 up to 1 GHz))',
    );
    // 800e6 = 2^11·5^8 with 240e6 = 2^10·3·5^7 and 1e9: lcm = 2^11·3·5^9 = 12e9.
    expect(new Kernel({ clocks: { ...p.clocks } }).timebase.tickHz).toBe(12e9);
    expect(loadPlatform('imxrt1170').clocks.cm7).toBe(996_000_000);
    expect(PLATFORMS.imxrt1170!.hardware.clocks.cm7!.value).toBe(996_000_000);
  });

  test('string settings: a clock assignment, a mailbox side, a fixed-priority order', () => {
    const p = loadPlatform('imxrt1170', {
      'memories.ocram.clock': 'cm4',
      'interconnect.arbitration': 'fixed-priority',
      'interconnect.priorityOrder': 'cm4, cm7',
    });
    expect(p.memories[0]!.clock).toBe('cm4');
    expect(p.interconnect).toMatchObject({ arbitration: 'fixed-priority', priorityOrder: ['cm4', 'cm7'] });
    expect(p.sources['memories.ocram.clock']).toBe('override (the platform says "bus")');
    expect(p.interconnect.priorityOrder).toEqual(['cm4', 'cm7']);
  });

  test('swapping the roles puts the new master first', () => {
    const p = loadPlatform('imxrt1170', { 'cores.cm7.role': 'remote', 'cores.cm4.role': 'master' });
    expect(p.cores.map((c) => `${c.name}:${c.role}`)).toEqual(['cm4:master', 'cm7:remote']);
  });

  test('an unknown path is an error listing the nearest valid paths', () => {
    expect(errorOf(() => loadPlatform('imxrt1170', { 'clocks.cm9': 1 }))).toBe(
      'platform imxrt1170: clocks.cm9: no such setting; nearest valid paths: clocks.cm7, clocks.cm4, clocks.bus',
    );
    // Memories and cores are addressed by name, not by index.
    expect(errorOf(() => loadPlatform('imxrt1170', { 'memories.0.readWaitStates': 1 }))).toBe(
      'platform imxrt1170: memories.0.readWaitStates: no such setting; nearest valid paths: ' +
        'memories.ocram.readWaitStates, memories.flexspi.readWaitStates, memories.ocram.writeWaitStates',
    );
  });

  test('the mailbox kind is a key of the mailbox registry: an unknown one is an error, never a default', () => {
    expect(errorOf(() => loadPlatform('imxrt1170', { 'mailbox.kind': 'stm32-ipcc' }))).toBe(
      'platform imxrt1170: mailbox.kind: unknown mailbox kind "stm32-ipcc"; expected one of nxp-mu, lpc-mailbox',
    );
    // The sides a kind allows come from its model too.
    expect(errorOf(() => loadPlatform('imxrt1170', { 'mailbox.kind': 'lpc-mailbox' }))).toBe(
      [
        'platform imxrt1170: mailbox.sides.cm7.side: a lpc-mailbox side is 0 or 1, got "A"',
        'platform imxrt1170: mailbox.sides.cm4.side: a lpc-mailbox side is 0 or 1, got "B"',
      ].join('\n'),
    );
  });

  test('the value must have the setting\'s type', () => {
    expect(errorOf(() => loadPlatform('imxrt1170', { 'clocks.cm7': '800MHz' }))).toBe(
      'platform imxrt1170: clocks.cm7: expected a number, got the string "800MHz"',
    );
    expect(errorOf(() => loadPlatform('imxrt1170', { 'cores.cm7.type': 7 }))).toBe(
      'platform imxrt1170: cores.cm7.type: expected a string, got the number 7',
    );
    expect(errorOf(() => loadPlatform('lpc55s69', { 'mailbox.sides.core0.side': 'A' }))).toBe(
      'platform lpc55s69: mailbox.sides.core0.side: expected a number, got the string "A"',
    );
  });
});

describe('validation reports every problem at once', () => {
  test('bad overrides and the problems they cause, one per line', () => {
    let caught: unknown;
    try {
      loadPlatform('imxrt1170', {
        'clocks.cm9': 1,
        'clocks.cm7': -1,
        'memories.ocram.readWaitStates': 1.5,
        'cores.cm4.nvic.priorityBits': 1,
        'mailbox.sides.cm4.side': 'A',
        'rpmsg.sharedMemoryBase': 0x20000000,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlatformConfigError);
    const error = caught as PlatformConfigError;
    expect(error.message).toBe(
      [
        'platform imxrt1170: clocks.cm9: no such setting; nearest valid paths: clocks.cm7, clocks.cm4, clocks.bus',
        'platform imxrt1170: clocks.cm7: frequency must be a positive whole number of Hz, got -1',
        'platform imxrt1170: memories.ocram.readWaitStates: wait states must be a non-negative whole number, got 1.5',
        'platform imxrt1170: mailbox.sides: both cores use side "A"; each core needs its own side',
        'platform imxrt1170: rpmsg.sharedMemoryBase: the shared memory 0x20000000..0x20001FFF is not inside any memory window of the master cm7',
        'platform imxrt1170: rpmsg.irqPriority.cm4: must be a whole number from 0 to 1 (cm4 implements 1 priority bit), got 2',
      ].join('\n'),
    );
    expect(error.platform).toBe('imxrt1170');
    expect(error.issues.map((i) => i.path)).toEqual([
      'clocks.cm9',
      'clocks.cm7',
      'memories.ocram.readWaitStates',
      'mailbox.sides',
      'rpmsg.sharedMemoryBase',
      'rpmsg.irqPriority.cm4',
    ]);
  });

  test('a malformed description: cores, windows, targets, arbitration, sources', () => {
    const d = copyOf('lpc55s69');
    d.cores[1].role = 'master';
    d.cores[0].addressMap.push({
      base: { value: 0x20038000, source: 'test' },
      size: { value: 0x1000, source: 'test' },
      target: 'sram3',
      targetOffset: 0xf800,
    });
    d.cores[1].addressMap[0]!.target = 'sram9';
    d.cores[1].addressMap[1]!.base = { value: 0xfffff800, source: 'test' };
    d.interconnect.arbitration = { value: 'fixed-priority', source: 'test' };
    d.interconnect.priorityOrder = ['core0'];
    d.peripheralBus.accessCycles = { value: 2, source: ' ' };
    d.mailbox.sides.core1!.irq = { value: 60, source: 'test' };
    expect(errorOf(() => resolvePlatform(d))).toBe(
      [
        // each value on its own, in description order
        'platform lpc55s69: cores.core1.addressMap.sram9.target: no memory named "sram9" (memories: sram3; or "mailbox", or a GPIO block: gpio)',
        'platform lpc55s69: peripheralBus.accessCycles: has no source; say where it comes from (document and section, SDK file, or "Assumption: ... because ...")',
        // then the rules between values
        'platform lpc55s69: cores: expected one master and one remote, got master and master',
        'platform lpc55s69: cores.core0.addressMap.sram3#2.size: 0x00001000 bytes from offset 0x0000F800 run past the end of memory "sram3" (0x00010000 bytes)',
        'platform lpc55s69: cores.core1.addressMap.mailbox.size: the window 0xFFFFF800 + 0x00001000 runs past the 32-bit address space',
        'platform lpc55s69: interconnect.priorityOrder: a fixed-priority order must name each core once (core0, core1), got core0',
        'platform lpc55s69: mailbox.sides.core1.irq: must be a line from 0 to 59 of core1\'s interrupt controller, got 60',
      ].join('\n'),
    );
  });

  test('a missing value is named by its path', () => {
    const d = copyOf('lpc55s69');
    delete (d.memories[0] as Partial<(typeof d.memories)[0]>).readWaitStates;
    expect(errorOf(() => resolvePlatform(d))).toBe('platform lpc55s69: memories.sram3.readWaitStates: missing');
  });

  test('overlapping windows, three cores, an unknown clock and a missing mailbox side', () => {
    const d = copyOf('imxrt1170');
    d.cores[0].addressMap.find((w) => w.target === 'mailbox')!.base = { value: 0x202c1000, source: 'test' };
    d.cores.push({ ...structuredClone(d.cores[1]), name: 'cm4b' } as never);
    d.memories[0]!.clock = 'axi';
    delete d.mailbox.sides.cm4;
    expect(errorOf(() => resolvePlatform(d))).toBe(
      [
        'platform imxrt1170: memories.ocram.clock: no clock named "axi" (clocks: cm7, cm4, bus, busLpsr)',
        'platform imxrt1170: mailbox.sides.cm4: missing: every core needs a mailbox side and an interrupt line',
        'platform imxrt1170: mailbox.sides.cm4b: missing: every core needs a mailbox side and an interrupt line',
        'platform imxrt1170: gpio.pins.cm4b: missing: every core needs the pin it measures with',
        'platform imxrt1170: rpmsg.irqPriority.cm4b: missing: the priority the port gives the mailbox interrupt on this core',
        'platform imxrt1170: cores: expected exactly two cores, got 3',
        'platform imxrt1170: cores.cm7.addressMap: windows "ocram" (0x202C0000..0x2033FFFF) and "mailbox" (0x202C1000..0x202C4FFF) overlap',
      ].join('\n'),
    );
  });
});

describe('every core maps the mailbox', () => {
  test('a core whose windows leave the mailbox out, and a core with no windows at all, are refused', () => {
    const d = copyOf('imxrt1170');
    const [cm7, cm4] = d.cores;
    cm7!.addressMap = cm7!.addressMap.filter((w) => w.target !== 'mailbox');
    cm4!.addressMap = [];
    expect(errorOf(() => resolvePlatform(d))).toBe(
      [
        'platform imxrt1170: cores.cm7.addressMap: no window maps the mailbox, so this core could not signal the other',
        'platform imxrt1170: cores.cm4.addressMap: no window maps the mailbox, so this core could not signal the other',
        'platform imxrt1170: gpio.pins.cm4.block: cm4 maps no window to GPIO block "gpio9", so it could not drive its pin',
        // With no windows, the OCRAM the CM4 could run code from is out of its reach too.
        'platform imxrt1170: cores.cm4.regions.ocram: its lines refill over the bus (refillCycles 0), but 0x202D0000..0x202DFFFF is not inside a window of cm4 onto a memory',
      ].join('\n'),
    );
  });

  test("mailboxWindowOf: each core's mailbox window; none is a bug (validation refuses it)", () => {
    const p = loadPlatform('imxrt1170');
    expect([mailboxWindowOf(p, 'cm7'), mailboxWindowOf(p, 'cm4')]).toEqual([
      { base: 0x40c48000, size: 0x4000, target: 'mailbox', targetOffset: 0 },
      { base: 0x40c4c000, size: 0x4000, target: 'mailbox', targetOffset: 0 },
    ]);
    let error: unknown;
    try {
      mailboxWindowOf(p, 'cm9');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('imxrt1170: core cm9 maps no mailbox (validation refuses such a platform)');
  });
});

describe('describePlatform', () => {
  test('shows each value with its override path and source', () => {
    const text = describePlatform('imxrt1170');
    const lines = text.split('\n');
    expect(lines[0]).toBe('NXP i.MX RT1170: Cortex-M7 at 996 MHz + Cortex-M4 at 400 MHz [imxrt1170]');
    expect(lines).toContain('Clocks (kernel tick 996 GHz: least common multiple of the clocks and 1 GHz)');
    expect(lines).toContain('  cm7 = 996 MHz');
    expect(lines).toContain(
      '      clocks.cm7: SDK evkmimxrt1170 clock_config.h (BOARD_BootClockRUN): BOARD_BOOTCLOCKRUN_M7_CLK_ROOT = 996000000 (the data sheet rates the M7 up to 1 GHz)',
    );
    expect(lines).toContain('  cm7: cortex-m7, rpmsg-lite master, clock cm7');
    expect(lines).toContain('    window 0x40C48000..0x40C4BFFF, 16 KiB (0x4000) -> mailbox');
    expect(lines).toContain('    read wait states = 0');
    expect(lines).toContain('Mailbox: nxp-mu, clock busLpsr');
    expect(lines).toContain('  cm4 interrupt line = 118');
    expect(lines).toContain('  size = 8 KiB (0x2000)');
    expect(text).toBe(describePlatform('imxrt1170'));
  });

  test('describes every platform without error', () => {
    for (const name of listPlatforms()) expect(describePlatform(name)).toContain(`[${name}]`);
  });
});

describe('GPIO', () => {
  test("each platform's measuring pins: their blocks, ports and pins, and where each core sees the block", () => {
    const pins = (name: string) => {
      const p = loadPlatform(name);
      return p.cores.map((c) => {
        const pin = p.gpio.pins[c.name]!;
        const window = c.addressMap.find((w) => w.target === pin.block)!;
        return [c.name, pin.block, pin.port, pin.pin, window.base];
      });
    };
    expect(pins('imxrt1170')).toEqual([
      ['cm7', 'gpio9', 0, 3, 0x40c64000],
      ['cm4', 'gpio9', 0, 4, 0x40c64000],
    ]);
    expect(pins('lpc55s69')).toEqual([
      ['core0', 'gpio', 1, 7, 0x4008c000],
      ['core1', 'gpio', 1, 4, 0x4008c000],
    ]);
    expect(pins('lpc54114')).toEqual([
      ['cm4', 'gpio', 0, 29, 0x1c000000],
      ['cm0plus', 'gpio', 0, 30, 0x1c000000],
    ]);
    expect(pins('imx8mm')).toEqual([
      ['a53', 'gpio4', 0, 0, 0x30230000],
      ['m4', 'gpio5', 0, 8, 0x30240000],
    ]);
  });

  test('overrides of a pin are checked: pin range, ports of the block, a block the core maps, a window that holds the registers', () => {
    expect(() => loadPlatform('imxrt1170', { 'gpio.pins.cm4.pin': 32 })).toThrow('platform imxrt1170: gpio.pins.cm4.pin: must be a pin from 0 to 31, got 32');
    expect(() => loadPlatform('imxrt1170', { 'gpio.pins.cm4.port': 1 })).toThrow('platform imxrt1170: gpio.pins.cm4.port: imxrt-gpio blocks have port 0 only, got 1');
    expect(() => loadPlatform('lpc55s69', { 'gpio.pins.core1.port': 2 })).toThrow('platform lpc55s69: gpio.pins.core1.port: lpc-gpio blocks have ports 0 to 1, got 2');
    expect(() => loadPlatform('imx8mm', { 'gpio.pins.a53.block': 'gpio5' })).toThrow(
      'platform imx8mm: gpio.pins.a53.block: a53 maps no window to GPIO block "gpio5", so it could not drive its pin',
    );
    expect(() => loadPlatform('imx8mm', { 'gpio.pins.a53.block': 'gpio7' })).toThrow('platform imx8mm: gpio.pins.a53.block: no GPIO block named "gpio7" (blocks: gpio4, gpio5)');
    // 0x2000 bytes do not reach SET[1] and beyond of the LPC GPIO (0x2488 bytes of registers)
    expect(() => loadPlatform('lpc55s69', { 'cores.core0.addressMap.gpio.size': 0x2000 })).toThrow(
      'platform lpc55s69: cores.core0.addressMap.gpio.size: 8 KiB (0x2000) from offset 0x00000000 do not reach all 9352 bytes (0x2488) of lpc-gpio registers',
    );
    // a pin moved to another pin of the port: fine
    expect(loadPlatform('imxrt1170', { 'gpio.pins.cm4.pin': 5 }).gpio.pins.cm4!.pin).toBe(5);
  });

  test('a GPIO block named like a memory or the mailbox is refused', () => {
    const d = copyOf('imxrt1170');
    d.gpio.blocks.push({ name: 'ocram', kind: 'imxrt-gpio' }, { name: 'mailbox', kind: 'imxrt-gpio' });
    expect(errorOf(() => resolvePlatform(d))).toBe(
      [
        'platform imxrt1170: gpio.blocks.mailbox: "mailbox" is the mailbox\'s window target; name the GPIO block otherwise',
        'platform imxrt1170: memories.ocram: "ocram" names two memories, or a memory and a GPIO block; window targets must differ',
      ].join('\n'),
    );
  });
});

describe('caches', () => {
  test('imxrt1170 cm7: a 32 KiB 4-way data cache with 32-byte lines; the shared memory carved out non-cacheable', () => {
    const dcache = loadPlatform('imxrt1170').cores[0].caches.find((c) => c.kind === 'dcache')!;
    expect([dcache.sizeBytes, dcache.ways, dcache.lineBytes, dcache.hitCycles, dcache.enabled]).toEqual([0x8000, 4, 32, 1, true]);
    expect(dcache.regions).toEqual([
      { base: 0x20200000, size: 0x200000, policy: 'write-back' },
      { base: 0x202c0000, size: 0x2000, policy: 'non-cacheable' },
    ]);
    // Cores without caches list none.
    expect(loadPlatform('lpc55s69').cores.map((c) => c.caches)).toEqual([[], []]);
  });

  test('overrides reach a cache by kind; a bad geometry, a second cache of a kind, regions on an instruction cache are refused', () => {
    expect(loadPlatform('imxrt1170', { 'cores.cm7.caches.dcache.sizeBytes': 0x4000 }).cores[0].caches[1]!.sizeBytes).toBe(0x4000);
    expect(loadPlatform('imxrt1170', { 'cores.cm7.caches.dcache.enabled': 'false' }).cores[0].caches[1]!.enabled).toBe(false);
    expect(errorOf(() => loadPlatform('imxrt1170', { 'cores.cm7.caches.dcache.enabled': 'no' }))).toContain('cores.cm7.caches.dcache.enabled: must be true or false, got "no"');
    expect(errorOf(() => loadPlatform('imxrt1170', { 'cores.cm7.caches.dcache.ways': 3 }))).toContain('cores.cm7.caches.dcache.ways: must be a power of two, got 3');
    expect(errorOf(() => loadPlatform('imxrt1170', { 'cores.cm7.caches.dcache.policy': 'lru' }))).toContain('cores.cm7.caches.dcache.policy: no such setting');
    const twice = copyOf('imxrt1170');
    twice.cores[0].caches!.push(structuredClone(twice.cores[0].caches![1]!));
    twice.cores[0].caches![0]!.regions = [{ base: { value: 0, source: 'test' }, size: { value: 32, source: 'test' }, policy: { value: 'write-back', source: 'test' } }];
    const message = errorOf(() => resolvePlatform(twice));
    expect(message).toContain('cores.cm7.caches: two caches of kind "dcache"; a core has at most one of each');
    expect(message).toContain('cores.cm7.caches.icache.regions: memory attribute regions belong to a data cache');
  });
});

describe('overrides reach one place only', () => {
  test('the two cores share their region descriptions in the source; an override of one core leaves the other as it was', () => {
    const p = loadPlatform('lpc55s69', { 'cores.core0.regions.sramx.size': 0x4000, 'cores.core0.regions.flash.refillCycles': 9 });
    expect([p.cores[0].regions.sramx!.size, p.cores[1].regions.sramx!.size]).toEqual([0x4000, 0x8000]);
    expect([p.cores[0].regions.flash!.refillCycles, p.cores[1].regions.flash!.refillCycles]).toEqual([9, 11]);
    // The LMEM pair of the RT1170 CM4 and the cached regions' unused line-store fields too.
    const rt = loadPlatform('imxrt1170', { 'cores.cm4.caches.icache.ways': 4, 'cores.cm7.regions.flexspi.lineBytes': 16 });
    const cm4 = rt.cores[1].caches;
    expect([cm4.find((c) => c.kind === 'icache')!.ways, cm4.find((c) => c.kind === 'dcache')!.ways]).toEqual([4, 2]);
    expect([rt.cores[0].regions.flexspi!.lineBytes, rt.cores[0].regions.ocram!.lineBytes]).toEqual([16, 0]);
  });
});
