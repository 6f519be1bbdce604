// Smoke test on every platform: the master writes a word to shared memory and rings the
// mailbox the way that platform's rpmsg-lite port does; the remote's ISR acknowledges the
// mailbox and reads the word.

import { loadPlatform, listPlatforms } from '../../platforms';
import type { Core, Firmware } from './core';
import { LPC_MAILBOX_REG } from './lpc-mailbox';
import { MU_CR, MU_REG, MU_SR } from './nxp-mu';
import { type PlatformSoc, buildPlatformSoc } from './platform-soc';

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
  const region = soc.platform.cores.find((c) => c.name === core)!.addressMap.find((w) => w.target === 'mailbox')!;
  return region.base;
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
      yield* master.exec(100); // let the remote enable its source first
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

  test('lpc54114, by hand: the Cortex-M0+ enters its ISR 18 cycles after the ring (15-cycle entry)', () => {
    // One 100 MHz clock (10 ticks at 1 GHz), no synchronisers, SRAM 0 wait states, 2-cycle
    // register accesses. M4: 100 cycles, SRAM write 1000..1010, IRQ0SET write 1010..1030; the
    // M0+ samples the line at 1030 + 1 cycle = 1040 and enters in 15 cycles: 1190. ISR: read
    // the word register 1190..1210, clear 1210..1230, read shared memory 1230..1240.
    const { t } = roundTrip('lpc54114');
    expect(t).toEqual({ ring: 1010, isr: 1190, word: 1240, value: 0xc0ffee01 });
  });
});
