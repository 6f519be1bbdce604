// Smoke test on every platform: the master writes a word to shared memory and rings the
// mailbox the way that platform's rpmsg-lite port does; the remote's ISR acknowledges the
// mailbox and reads the word.

import { loadPlatform, listPlatforms } from '../registry';
import { cycles } from '../../sim/kernel';
import type { Core, Firmware } from '../../sim/hw/core';
import { LPC_MAILBOX_REG } from '../../sim/hw/lpc-mailbox';
import { MU_CR, MU_REG, MU_SR } from '../../sim/hw/nxp-mu';
import { MAILBOX_MODELS } from '../../sim/hw/mailboxes';
import { type PlatformSoc, buildPlatformSoc } from './build';
import { mailboxWindowOf } from './load';

interface Doorbell {
  /** Remote side: enable the mailbox interrupt source. */
  enable(core: Core, base: number): Firmware<void>;
  /** Master side: ring. */
  ring(core: Core, base: number): Firmware<void>;
  /** Remote ISR: acknowledge. */
  acknowledge(core: Core, base: number): Firmware<void>;
}

/** i.MX RT1170 port: general-purpose interrupt 0 (CR.GIR0 -> other side's SR.GIP0, write 1 to clear). */
const muGeneralPurpose: Doorbell = {
  *enable(core, base) {
    yield* core.write32(base + MU_REG.CR, MU_CR.GIE(0));
  },
  *ring(core, base) {
    yield* core.write32(base + MU_REG.CR, MU_CR.GIR(0));
  },
  *acknowledge(core, base) {
    const sr = yield* core.read32(base + MU_REG.SR);
    if ((sr & MU_SR.GIP(0)) !== 0) yield* core.write32(base + MU_REG.SR, MU_SR.GIP(0));
  },
};

/** i.MX 8M Mini port: data channel 1 carrying vq_id << 16 (TR1 -> other side's RR1, RF1). */
const muDataChannel: Doorbell = {
  *enable(core, base) {
    yield* core.write32(base + MU_REG.CR, MU_CR.RIE(1));
  },
  *ring(core, base) {
    yield* core.write32(base + MU_REG.TR1, 0 << 16);
  },
  *acknowledge(core, base) {
    const sr = yield* core.read32(base + MU_REG.SR);
    if ((sr & MU_SR.RF(1)) !== 0) yield* core.read32(base + MU_REG.RR1);
  },
};

/** LPC55S69 / LPC54114 port: bit 0 in the other core's mailbox word, cleared by the receiver. */
function lpcMailbox(remoteSlot: number): Doorbell {
  const word = remoteSlot === 0 ? LPC_MAILBOX_REG.IRQ0 : LPC_MAILBOX_REG.IRQ1;
  const set = remoteSlot === 0 ? LPC_MAILBOX_REG.IRQ0SET : LPC_MAILBOX_REG.IRQ1SET;
  const clear = remoteSlot === 0 ? LPC_MAILBOX_REG.IRQ0CLR : LPC_MAILBOX_REG.IRQ1CLR;
  return {
    *enable() {},
    *ring(core, base) {
      yield* core.write32(base + set, 1);
    },
    *acknowledge(core, base) {
      const value = yield* core.read32(base + word);
      yield* core.write32(base + clear, value);
    },
  };
}

function doorbellOf(soc: PlatformSoc): Doorbell {
  const p = soc.platform;
  if (p.mailbox.kind === 'lpc-mailbox') return lpcMailbox(Number(p.mailbox.sides[p.cores[1].name]!.side));
  return p.name === 'imx8mm' ? muDataChannel : muGeneralPurpose;
}

function mailboxBase(soc: PlatformSoc, core: string): number {
  return mailboxWindowOf(soc.platform, core).base;
}

interface Timeline {
  ring: number;
  isr: number;
  word: number;
  value: number;
}

function roundTrip(name: string): { soc: PlatformSoc; t: Timeline } {
  const soc = buildPlatformSoc(loadPlatform(name));
  const k = soc.kernel;
  const [masterDesc, remoteDesc] = soc.platform.cores;
  const master = soc.core(masterDesc.name);
  const remote = soc.core(remoteDesc.name);
  const bell = doorbellOf(soc);
  const shared = soc.platform.rpmsg.sharedMemoryBase;
  const t: Timeline = { ring: -1, isr: -1, word: -1, value: 0 };
  const line = soc.platform.mailbox.sides[remote.name]!.irq;
  remote.nvic.enable(line);
  remote.setHandler(line, function* (): Firmware<void> {
    t.isr = k.now;
    yield* bell.acknowledge(remote, mailboxBase(soc, remote.name));
    t.value = yield* remote.read32(shared);
    t.word = k.now;
  });
  remote.start(
    (function* (): Firmware<void> {
      yield* bell.enable(remote, mailboxBase(soc, remote.name));
      for (;;) yield* remote.waitForInterrupt();
    })(),
  );
  master.start(
    (function* (): Firmware<void> {
      yield* master.exec(cycles(100)); // let the remote enable its source first
      yield* master.write32(shared, 0xc0ffee01);
      t.ring = k.now;
      yield* bell.ring(master, mailboxBase(soc, master.name));
    })(),
  );
  k.run();
  return { soc, t };
}

describe('round trip on every platform', () => {
  test.each(listPlatforms())('%s: the remote ISR reads what the master wrote', (name) => {
    const { t, soc } = roundTrip(name);
    expect(t.value).toBe(0xc0ffee01);
    expect(t.ring).toBeGreaterThan(0);
    expect(t.isr).toBeGreaterThan(t.ring);
    expect(t.word).toBeGreaterThan(t.isr);
    expect(soc.core(soc.platform.cores[1].name).stats.interrupts).toBe(1);
  });

  test('lpc55s69, by hand: ISR 15 cycles and the word 20 cycles after the ring is issued', () => {
    // One 150 MHz clock (20 ticks at 3 GHz), no synchronisers, SRAM 0 wait states, 2-cycle
    // register accesses. Master: 100 cycles, SRAM write 2000..2020, IRQ0SET write 2020..2060:
    // the line rises at 2060; core1 samples it at 2060 + 1 cycle = 2080, enters in 12 cycles: 2320.
    // ISR: read IRQ0 2320..2360, write IRQ0CLR 2360..2400, read the word 2400..2420.
    const { t } = roundTrip('lpc55s69');
    expect(t).toEqual({ ring: 2020, isr: 2320, word: 2420, value: 0xc0ffee01 });
  });

  test('imxrt1170, by hand: CR.GIR0 on side A enters the CM4 ISR 75.522 ns after the ring is issued', () => {
    // Tick 996 GHz: CM7 1000 ticks, CM4 2490, OCRAM bus (240 MHz) 4150, MU/peripheral bus
    // (160 MHz) 6225; 2 synchroniser cycles each way, 2-cycle register accesses, MU crossing
    // 2 cycles. CM7: 100 cycles to 100000; OCRAM write: bus edge 103750 + 8300 = 112050,
    // beat to 116200, back at CM7 edge 117000 + 2000 = 119000 (the ring is issued).
    // CR write: MU edge 124500 + 12450 = 136950, 2 cycles -> 149400 (GIR0 set on side A);
    // crossing 12450 -> 161850: GIP0 on side B, line up. CM4 edge 161850 + 1 cycle = 164340,
    // entry 12 cycles (29880) -> ISR at 194220. ISR: read SR 194220 -> MU edge 199200 + 12450,
    // +12450 = 224100, back 224100 + 4980 = 229080; write SR.GIP0 -> 230325 + 12450 + 12450 =
    // 255225, back at edge 256470 + 4980 = 261450; read OCRAM -> 261450 + 8300, +4150 = 273900,
    // back 273900 + 4980 = 278880.
    const { t } = roundTrip('imxrt1170');
    expect(t).toEqual({ ring: 119000, isr: 194220, word: 278880, value: 0xc0ffee01 });
  });

  test('imx8mm, by hand: TR1 on side A enters the M4 ISR 133.889 ns after the ring; DDR reads dominate', () => {
    // Tick 198 GHz: A53 110 ticks, M4 495, DDR (750 MHz) 264, IPG (66 MHz) 3000; 2 synchroniser
    // cycles each way; DDR 15 write / 75 read wait states; MU crossing 2 IPG cycles.
    // A53: 100 cycles to 11000; DDR write: edge 11088 + 528 = 11616, 16 cycles -> 15840, back
    // at A53 edge 15840 + 220 = 16060 (the ring is issued). TR1 write: IPG edge 18000 + 6000,
    // 2 cycles -> 30000; crossing 6000 -> 36000: RF1 on side B, line up. M4 edge 36135 + 495 =
    // 36630, entry 12 cycles (5940) -> ISR at 42570. ISR: read SR -> 45000 + 6000 + 6000 = 57000,
    // back 57420 + 990 = 58410; read RR1 -> 60000 + 6000 + 6000 = 72000, back 72270 + 990 = 73260;
    // read DDR -> 73392 + 528 = 73920, 76 cycles -> 93984, back 94050 + 990 = 95040.
    const { t } = roundTrip('imx8mm');
    expect(t).toEqual({ ring: 16060, isr: 42570, word: 95040, value: 0xc0ffee01 });
  });

  test('lpc54114, by hand: the Cortex-M0+ enters its ISR 18 cycles after the ring (15-cycle entry)', () => {
    // One 150 MHz clock (20 ticks at 3 GHz), no synchronisers, SRAM 0 wait states, 2-cycle
    // register accesses. M4: 100 cycles, SRAM write 2000..2020, IRQ0SET write 2020..2060; the
    // M0+ samples the line at 2060 + 1 cycle = 2080 and enters in 15 cycles: 2380 (its vector
    // and stack are in zero-wait SRAM: nothing added). ISR: read the word register 2380..2420,
    // clear 2420..2460, read shared memory 2460..2480.
    const { t } = roundTrip('lpc54114');
    expect(t).toEqual({ ring: 2020, isr: 2380, word: 2480, value: 0xc0ffee01 });
  });
});

describe('the mailbox registry drives the build', () => {
  test("the kind's model is built under its own name, wired to each core's line and listed once per window", () => {
    const mu = buildPlatformSoc(loadPlatform('imxrt1170'));
    expect(mu.mailbox.kind).toBe('nxp-mu');
    expect(mu.irqLines).toEqual([
      { name: 'mu.a.irq', core: 'cm7', line: 118 },
      { name: 'mu.b.irq', core: 'cm4', line: 118 },
    ]);
    // The size is the peripheral's own register window (MU_WINDOW_SIZE).
    expect(mu.mailboxWindows).toEqual([
      { name: 'mu.a', base: 0x40c48000, size: 0x28, registers: MAILBOX_MODELS['nxp-mu'].registers },
      { name: 'mu.b', base: 0x40c4c000, size: 0x28, registers: MAILBOX_MODELS['nxp-mu'].registers },
    ]);
    // One register file both cores see at the same address: one window entry.
    const lpc = buildPlatformSoc(loadPlatform('lpc55s69'));
    expect(lpc.mailbox.kind).toBe('lpc-mailbox');
    expect(lpc.irqLines).toEqual([
      { name: 'mailbox.irq1', core: 'core0', line: 31 },
      { name: 'mailbox.irq0', core: 'core1', line: 31 },
    ]);
    expect(lpc.mailboxWindows).toEqual([{ name: 'mailbox', base: 0x4008b000, size: 0xfc, registers: MAILBOX_MODELS['lpc-mailbox'].registers }]);
  });

  test('each real kind: its sides, device name and register names', () => {
    expect(Object.keys(MAILBOX_MODELS)).toEqual(['nxp-mu', 'lpc-mailbox']);
    const mu = MAILBOX_MODELS['nxp-mu'];
    expect([mu.sides, mu.deviceName, mu.registers.map((r) => r.name)]).toEqual([
      ['A', 'B'],
      'mu',
      ['TR0', 'TR1', 'TR2', 'TR3', 'RR0', 'RR1', 'RR2', 'RR3', 'SR', 'CR'],
    ]);
    const lpc = MAILBOX_MODELS['lpc-mailbox'];
    expect([lpc.sides, lpc.deviceName, lpc.registers.map((r) => `${r.name}@${r.offset}`)]).toEqual([
      [0, 1],
      'mailbox',
      ['IRQ0@0', 'IRQ0SET@4', 'IRQ0CLR@8', 'IRQ1@16', 'IRQ1SET@20', 'IRQ1CLR@24', 'MUTEX@248'],
    ]);
  });
});
