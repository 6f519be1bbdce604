// A resolved platform made into a running chip: the kernel with the platform's clocks, the
// cores, memories and ports (sim/hw/soc.ts takes the resolved platform as its spec), and
// the mailbox the platform names, built by its model from the mailbox registry
// (sim/hw/mailboxes.ts) and wired to each core's interrupt controller on the given line;
// the GPIO blocks from the GPIO registry (sim/hw/gpios.ts), each core's measuring pin made
// an output, low, before the run (the board's pin set-up, not timed).

import { InternalError, Kernel, type Ticks, cycles } from '../../sim/kernel';
import { MAILBOX_MODELS, type MailboxKind, type MailboxSide, isMailboxKind } from '../../sim/hw/mailboxes';
import { GPIO_MODELS, isGpioKind } from '../../sim/hw/gpios';
import type { GpioBlock } from '../../sim/hw/gpio';
import type { PeripheralWindows } from '../../sim/hw/soc';
import type { MailboxInstance, MailboxModel, MailboxRegister } from '../../sim/hw/peripheral';
import { MAILBOX_TARGET, type ResolvedPlatform, mailboxWindowOf } from './load';
import type { Tracer } from '../../sim/trace/trace';
import { type Soc, buildSoc } from '../../sim/hw/soc';

export interface PlatformSoc extends Soc {
  platform: ResolvedPlatform;
  /** The mailbox: its kind (`platform.mailbox.kind`), each core's register window and interrupt line. */
  mailbox: MailboxInstance & { readonly kind: MailboxKind };
  /** The mailbox interrupt lines: name, the core they interrupt and its NVIC line. */
  irqLines: { name: string; core: string; line: number }[];
  /**
   * The mailbox register windows: name (as bus records name their target), base, size and
   * registers; one entry per window, however many cores see it there.
   */
  mailboxWindows: { name: string; base: number; size: number; registers: readonly MailboxRegister[] }[];
  /** The GPIO blocks by name (window target), and each core's measuring pin. */
  gpio: { blocks: ReadonlyMap<string, GpioBlock>; pins: readonly PlatformPin[] };
}

/** A core's measuring pin: named after the core, in its block, and where that core sees the block. */
export interface PlatformPin {
  name: string;
  core: string;
  block: string;
  port: number;
  pin: number;
  /** The block's base address in the core's address map. */
  base: number;
}

export interface PlatformSocOptions {
  beatByBeat?: boolean;
  tracer?: (kernel: Kernel) => Tracer;
}

export function buildPlatformSoc(platform: ResolvedPlatform, options: PlatformSocOptions = {}): PlatformSoc {
  const kernel = new Kernel({ clocks: { ...platform.clocks } });
  const { kind, sides } = platform.mailbox;
  // Validation refuses unknown kinds; a platform that gets here with one is a bug.
  if (!isMailboxKind(kind)) throw new InternalError(`no mailbox model "${String(kind)}" (a resolved platform names a known kind)`);
  const model: MailboxModel = MAILBOX_MODELS[kind];
  const crossing: Ticks = kernel.clock(platform.mailbox.clock).toTicks(cycles(platform.mailbox.crossingCycles));
  const sideOf: Record<string, MailboxSide> = {};
  for (const [core, { side }] of Object.entries(sides)) sideOf[core] = side;
  const instance = model.build(kernel, crossing, sideOf);
  const tracer = options.tracer?.(kernel);
  const blocks = new Map<string, GpioBlock>();
  const peripherals: Record<string, PeripheralWindows> = { [MAILBOX_TARGET]: instance.windows };
  for (const b of platform.gpio.blocks) {
    if (!isGpioKind(b.kind)) throw new InternalError(`no GPIO model "${String(b.kind)}" (a resolved platform names a known kind)`);
    const block = GPIO_MODELS[b.kind].build(b.name);
    if (tracer !== undefined) block.tracer = tracer;
    blocks.set(b.name, block);
    peripherals[b.name] = block;
  }
  const pins: PlatformPin[] = [];
  for (const c of platform.cores) {
    const p = platform.gpio.pins[c.name];
    const block = p === undefined ? undefined : blocks.get(p.block);
    const window = c.addressMap.find((w) => w.target === p?.block);
    if (p === undefined || block === undefined || window === undefined) throw new InternalError(`${platform.name}: core ${c.name} has no mapped measuring pin (validation refuses such a platform)`);
    block.configureOutput(p.port, p.pin, false);
    pins.push({ name: c.name, core: c.name, block: p.block, port: p.port, pin: p.pin, base: window.base - window.targetOffset });
  }
  const soc = buildSoc(kernel, platform, peripherals, {
    ...(options.beatByBeat === true && { beatByBeat: true }),
    ...(tracer !== undefined && { tracer }),
  });
  const irqLines: PlatformSoc['irqLines'] = [];
  const mailboxWindows: PlatformSoc['mailboxWindows'] = [];
  for (const core of soc.cores) {
    const line = instance.irqs[core.name];
    const irq = sides[core.name]?.irq;
    if (line !== undefined && irq !== undefined) {
      core.nvic.connect(irq, line);
      irqLines.push({ name: line.name, core: core.name, line: irq });
    }
    const window = mailboxWindowOf(platform, core.name);
    const peripheral = instance.windows[core.name];
    if (peripheral === undefined) continue;
    if (mailboxWindows.some((w) => w.name === peripheral.name && w.base === window.base)) continue;
    mailboxWindows.push({ name: peripheral.name, base: window.base, size: peripheral.windowSize, registers: model.registers });
  }
  return { ...soc, platform, mailbox: { kind, ...instance }, irqLines, mailboxWindows, gpio: { blocks, pins } };
}
