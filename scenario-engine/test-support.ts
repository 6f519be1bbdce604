// For the writers' tests: the trace header of a built rpmsg system, and a traced ping-pong.
// (Test support only: it reaches up into platforms/ and firmware/, which the writers
// themselves never import. The scenario runner builds its header the same way.)

import { buildRpmsgSystem, startPrograms, type RpmsgSystem } from '../platforms/system';
import { pingPong } from '../firmware/apps/pingpong';
import { RL_ERROR_NAMES } from '../firmware/rpmsg-lite/constants';
import { shmemLayout } from '../firmware/rpmsg-lite/virtio-ring';
import { LPC_MAILBOX_REG, LPC_MAILBOX_WINDOW_SIZE, LpcMailbox } from '../sim/hw/lpc-mailbox';
import { MU_REG, MU_WINDOW_SIZE } from '../sim/hw/nxp-mu';
import type { TraceHeaderInput, TraceIrqLine, TraceMailbox } from '../sim/trace/header';
import { MemorySink, type TraceRecord, type TraceSink, Tracer } from '../sim/trace/trace';

/** Register names of a register table (the numeric entries; helper functions left out). */
function registersOf(table: Record<string, unknown>): { name: string; offset: number }[] {
  return Object.entries(table)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .map(([name, offset]) => ({ name, offset }));
}

export function headerOf(sys: RpmsgSystem, scenario: string): TraceHeaderInput {
  const platform = sys.soc.platform;
  const layout = shmemLayout(sys.sharedMemory.base, sys.config, sys.sharedMemory.length);
  const mailboxes: TraceMailbox[] = [];
  const irqLines: TraceIrqLine[] = [];
  for (const c of platform.cores) {
    const window = c.addressMap.find((w) => w.target === 'mailbox')!;
    const { side, irq } = platform.mailbox.sides[c.name]!;
    const mb = sys.soc.mailbox;
    if (mb instanceof LpcMailbox) {
      const slot = side === 'A' || side === 0 ? 0 : 1;
      irqLines.push({ name: mb.irq(slot).name, core: c.name, line: irq });
      if (!mailboxes.some((m) => m.name === mb.name)) {
        mailboxes.push({ name: mb.name, base: window.base, size: LPC_MAILBOX_WINDOW_SIZE, registers: registersOf(LPC_MAILBOX_REG) });
      }
    } else {
      const isA = side === 'A' || side === 0;
      const peripheral = mb.side(isA ? 'A' : 'B');
      irqLines.push({ name: (isA ? mb.irqA : mb.irqB).name, core: c.name, line: irq });
      mailboxes.push({ name: peripheral.name, base: window.base, size: MU_WINDOW_SIZE, registers: registersOf(MU_REG) });
    }
  }
  return {
    scenario,
    platform: platform.name,
    tickHz: sys.kernel.timebase.tickHz,
    cores: sys.soc.cores.map((core, i) => ({
      name: core.name,
      role: platform.cores[i]!.role,
      hz: core.clock.hz,
      periodTicks: core.clock.period,
    })),
    sharedMemory: { base: sys.sharedMemory.base, size: sys.sharedMemory.length },
    vrings: [
      { index: 0, dir: 'r2m', availIdx: layout.vring0.availIdx, usedIdx: layout.vring0.usedIdx },
      { index: 1, dir: 'm2r', availIdx: layout.vring1.availIdx, usedIdx: layout.vring1.usedIdx },
    ],
    mailboxes,
    irqLines,
  };
}

/** Runs a ping-pong with `sinks` (made once the header is known) attached; returns the header and all records. */
export function tracedPingPong(
  options: { platform?: string; count?: number; payloadSize?: number; sinks?: (header: TraceHeaderInput) => TraceSink[] } = {},
): { header: TraceHeaderInput; records: TraceRecord[] } {
  const memory = new MemorySink();
  let tracer: Tracer | null = null;
  const sys = buildRpmsgSystem(options.platform ?? 'imxrt1170', {
    tracer: (k) => {
      tracer = new Tracer(k);
      tracer.addSink(memory);
      return tracer;
    },
  });
  const header = headerOf(sys, 'ping-pong');
  for (const sink of options.sinks?.(header) ?? []) tracer!.addSink(sink);
  startPrograms(sys, pingPong({ count: options.count ?? 5, payloadSize: options.payloadSize ?? 64 }));
  sys.kernel.run();
  tracer!.close();
  return { header, records: memory.records };
}

/** rpmsg-lite's words for a return code, as the CLI would pass them to the text writer. */
export function describeRlReturn(fn: string, code: number): string {
  const pointer = ['rpmsg_lite_master_init', 'rpmsg_lite_remote_init', 'rpmsg_lite_create_ept', 'rpmsg_lite_alloc_tx_buffer'];
  if (pointer.includes(fn)) return code === 0 ? 'a pointer' : 'NULL';
  return RL_ERROR_NAMES[code] ?? String(code);
}
