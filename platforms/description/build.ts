// A resolved platform made into a running chip: the kernel with the platform's clocks, the
// cores, memories and ports (soc.ts), and the mailbox the platform names, wired to each
// core's interrupt controller on the line the platform gives.

import { Kernel, type Ticks, cycles } from '../../sim/kernel';
import { LpcMailbox } from '../../sim/hw/lpc-mailbox';
import { NxpMessagingUnit } from '../../sim/hw/nxp-mu';
import type { Peripheral } from '../../sim/hw/peripheral';
import { type ResolvedPlatform, socSpecOf } from './load';
import type { Tracer } from '../../sim/trace/trace';
import type { IrqLine } from '../../sim/hw/signal';
import { type PeripheralWindows, type Soc, buildSoc } from '../../sim/hw/soc';

function isPeripheral(p: PeripheralWindows): p is Peripheral {
  return typeof (p as Peripheral).read === 'function';
}

export interface PlatformSoc extends Soc {
  platform: ResolvedPlatform;
  /** The mailbox model (its kind is `platform.mailbox.kind`). */
  mailbox: NxpMessagingUnit | LpcMailbox;
  /** The mailbox interrupt lines: name, the core they interrupt and its NVIC line. */
  irqLines: { name: string; core: string; line: number }[];
  /** The mailbox register windows: name (as bus records name their target), the core that sees it, base, size. */
  mailboxWindows: { name: string; core: string; base: number; size: number }[];
}

export function buildPlatformSoc(
  platform: ResolvedPlatform,
  options: { beatByBeat?: boolean; tracer?: (kernel: Kernel) => Tracer } = {},
): PlatformSoc {
  const kernel = new Kernel({ clocks: { ...platform.clocks } });
  const sides = platform.mailbox.sides;
  const crossing: Ticks = kernel.clock(platform.mailbox.clock).toTicks(cycles(platform.mailbox.crossingCycles));
  let mailbox: NxpMessagingUnit | LpcMailbox;
  let windows: PeripheralWindows;
  const lines = new Map<string, IrqLine>();
  if (platform.mailbox.kind === 'nxp-mu') {
    const mu = new NxpMessagingUnit(kernel, 'mu', crossing);
    const perCore: Record<string, Peripheral> = {};
    for (const [core, { side }] of Object.entries(sides)) {
      const name = side === 'A' || side === 0 ? 'A' : 'B';
      perCore[core] = mu.side(name);
      lines.set(core, name === 'A' ? mu.irqA : mu.irqB);
    }
    mailbox = mu;
    windows = perCore;
  } else {
    const mb = new LpcMailbox(kernel, 'mailbox', crossing);
    for (const [core, { side }] of Object.entries(sides)) lines.set(core, mb.irq(side === 'A' || side === 0 ? 0 : 1));
    mailbox = mb;
    windows = mb.registers;
  }
  const spec = { ...socSpecOf(platform), ...(options.beatByBeat ? { beatByBeat: true } : {}) };
  if (options.tracer !== undefined) spec.tracer = options.tracer(kernel);
  const soc = buildSoc(kernel, spec, { mailbox: windows });
  const irqLines: PlatformSoc['irqLines'] = [];
  const mailboxWindows: PlatformSoc['mailboxWindows'] = [];
  for (const core of soc.cores) {
    const line = lines.get(core.name);
    if (line !== undefined) {
      core.nvic.connect(sides[core.name]!.irq, line);
      irqLines.push({ name: line.name, core: core.name, line: sides[core.name]!.irq });
    }
    const window = platform.cores.find((c) => c.name === core.name)!.addressMap.find((w) => w.target === 'mailbox');
    const peripheral = isPeripheral(windows) ? windows : windows[core.name];
    if (window !== undefined && peripheral !== undefined) {
      mailboxWindows.push({ name: peripheral.name, core: core.name, base: window.base, size: peripheral.windowSize });
    }
  }
  return { ...soc, platform, mailbox, irqLines, mailboxWindows };
}
