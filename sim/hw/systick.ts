// A SysTick-like core timer: counts the core's own clock and raises an interrupt request
// every `reloadCycles` cycles (Armv7-M ARM B3.3: SYST_RVR = reloadCycles - 1, CLKSOURCE =
// processor clock; the counter wraps and pends the exception once per period).
//
// Its output is an IrqLine pulsed at each wrap, meant for the edge-sensitive SysTick input of
// the core's interrupt controller (system exception 15, CMSIS SysTick_IRQn = -1, nvic.ts),
// whose priority is set in SHPR3 and whose entry, tail-chaining and exit take the same cycles
// as an external interrupt's. Nothing here knows what the interrupt is used for (an RTOS
// tick, a timeout).

import { type ClockDomain, ConfigError, type Kernel, Priority, type Task, type Ticks, cycles } from '../kernel';
import { IrqLine } from './signal';

export class SysTick {
  readonly line: IrqLine;
  /** Wraps so far (interrupt requests raised). */
  wraps = 0;
  private readonly wrapTask: Task;
  /** Ticks of one period. */
  private readonly periodTicks: number;
  /** Time of the last wrap, or of the start: the phase that the next wraps keep. */
  private phase = -1;
  private running = false;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    private readonly clock: ClockDomain,
    /** Core cycles per period (SYST_RVR + 1). */
    readonly reloadCycles: number,
  ) {
    if (!Number.isInteger(reloadCycles) || reloadCycles < 1 || reloadCycles > 1 << 24) {
      throw new ConfigError(`${name}: reload of ${reloadCycles} cycles does not fit the 24-bit counter (1 .. 2^24)`);
    }
    this.line = new IrqLine(name);
    this.periodTicks = clock.toTicks(cycles(reloadCycles));
    this.wrapTask = kernel.task(`${name}.wrap`, () => this.wrap(), { priority: Priority.Hardware });
  }

  get enabled(): boolean {
    return this.running;
  }

  /** Enables the counter: it starts at the core's next edge and first wraps one period later. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.phase = this.clock.nextEdge();
    this.wrapTask.scheduleAt((this.phase + this.periodTicks) as Ticks);
  }

  /** Disables the counter (no more requests); `resume` can continue on the same phase. */
  stop(): void {
    this.running = false;
    this.wrapTask.cancel();
  }

  /**
   * Re-enables a stopped counter as if it had kept counting: the next wrap keeps the old
   * phase. Returns how many wraps fell while it was stopped (they raised no request). A
   * tickless idle uses this to step its tick count without drift.
   */
  resume(): number {
    if (this.running) return 0;
    if (this.phase < 0) {
      this.start();
      return 0;
    }
    const missed = this.wrapsMissedSoFar();
    this.running = true;
    this.phase += missed * this.periodTicks;
    this.wraps += missed;
    this.wrapTask.scheduleAt((this.phase + this.periodTicks) as Ticks);
    return missed;
  }

  /** While stopped: wraps that would have happened by now (in (last wrap, now]). */
  wrapsMissedSoFar(): number {
    if (this.running || this.phase < 0) return 0;
    return Math.floor((this.kernel.now - this.phase) / this.periodTicks);
  }

  private wrap(): void {
    this.phase = this.kernel.now;
    this.wraps++;
    // A pulse: the controller's edge input counts the rise; the level is not what matters.
    this.line.set(true);
    this.line.set(false);
    this.wrapTask.scheduleAt((this.phase + this.periodTicks) as Ticks);
  }
}
