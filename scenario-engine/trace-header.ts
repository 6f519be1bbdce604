// The trace header of a run: what a reader of the trace needs to interpret its records
// (tick rate, cores and clocks, shared memory, where the vring indices and mailbox
// registers are and their names, from the mailbox model, which interrupt lines go where,
// each core's measuring GPIO pin).
// Nothing host-dependent. The one builder: the runner and the writers' tests use it.

import type { RpmsgSystem } from '../platforms/system';
import type { TraceHeaderInput } from '../sim/trace/header';
import { ROLES } from '../firmware/program';
import { shmemLayout } from '../firmware/rpmsg-lite/virtio-ring';

export function traceHeaderOf(sys: RpmsgSystem, scenario: string): TraceHeaderInput {
  const layout = shmemLayout(sys.sharedMemory.base, sys.config, sys.sharedMemory.length);
  const soc = sys.soc;
  return {
    scenario,
    platform: soc.platform.name,
    tickHz: sys.kernel.timebase.tickHz,
    cores: soc.cores.map((c, i) => ({ name: c.name, role: ROLES[i]!, hz: c.clock.hz, periodTicks: c.clock.period })),
    sharedMemory: { base: sys.sharedMemory.base, size: sys.sharedMemory.length },
    vrings: [
      { index: 0, dir: 'r2m', availIdx: layout.vring0.availIdx, usedIdx: layout.vring0.usedIdx },
      { index: 1, dir: 'm2r', availIdx: layout.vring1.availIdx, usedIdx: layout.vring1.usedIdx },
    ],
    mailboxes: soc.mailboxWindows.map((w) => ({
      name: w.name,
      base: w.base,
      size: w.size,
      registers: w.registers.map((r) => ({ name: r.name, offset: r.offset })),
    })),
    irqLines: soc.irqLines.map((l) => ({ name: l.name, core: l.core, line: l.line })),
    pins: soc.gpio.pins.map((p) => ({ name: p.name, core: p.core, block: p.block, port: p.port, pin: p.pin })),
  };
}
