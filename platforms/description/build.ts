// A resolved platform made into a running chip: the kernel with the platform's clocks, the
// cores, memories and ports (sim/hw/soc.ts takes the resolved platform as its spec), and
// the mailbox the platform names, built by its model from the mailbox registry
// (sim/hw/mailboxes.ts) and wired to each core's interrupt controller on the given line.

import { InternalError, Kernel, type Ticks, cycles } from '../../sim/kernel';
import { MAILBOX_MODELS, type MailboxKind, type MailboxSide, isMailboxKind } from '../../sim/hw/mailboxes';
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
  const soc = buildSoc(kernel, platform, { [MAILBOX_TARGET]: instance.windows }, {
    ...(options.beatByBeat === true && { beatByBeat: true }),
    ...(options.tracer !== undefined && { tracer: options.tracer(kernel) }),
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
  return { ...soc, platform, mailbox: { kind, ...instance }, irqLines, mailboxWindows };
}
