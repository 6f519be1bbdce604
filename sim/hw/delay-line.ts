// A fixed delay for effects that cross into another clock domain (a mailbox's synchroniser):
// each effect lands `delay` ticks after it was pushed, in push order, by one kernel task at
// Priority.Hardware (so it lands before firmware runs at the same tick). With no delay an
// effect lands at once.

import { ConfigError, type Kernel, Priority, type Task, type Ticks } from '../kernel';

/**
 * Effects waiting for their tick, landed in time order (those of one tick in push order) by
 * one kernel task at Priority.Hardware, `afterLanding` after each tick's effects. The two
 * kinds below differ only in how an effect's time is given.
 */
abstract class Landings {
  protected readonly queue: { at: number; land: () => void }[] = [];
  protected readonly task: Task;

  constructor(
    protected readonly kernel: Kernel,
    taskName: string,
    /** Called after the effects due at a tick have landed (e.g. recompute interrupt outputs). */
    private readonly afterLanding: () => void,
  ) {
    this.task = kernel.task(taskName, () => this.landDue(), { priority: Priority.Hardware });
  }

  /** Effects still waiting. */
  get inFlight(): number {
    return this.queue.length;
  }

  /** Drops everything not landed yet (a reset). */
  clear(): void {
    this.queue.length = 0;
    this.task.cancel();
  }

  private landDue(): void {
    const now = this.kernel.now;
    let landed = 0;
    while (landed < this.queue.length && this.queue[landed]!.at <= now) this.queue[landed++]!.land();
    this.queue.splice(0, landed);
    if (this.queue.length > 0) this.task.scheduleAt(this.queue[0]!.at as Ticks);
    this.afterLanding();
  }
}

/** A constant delay: a clock-domain crossing. */
export class DelayLine extends Landings {
  constructor(
    kernel: Kernel,
    name: string,
    readonly delay: Ticks,
    afterLanding: () => void = () => undefined,
  ) {
    if (!Number.isSafeInteger(delay) || delay < 0) {
      throw new ConfigError(`${name}: crossingDelay must be a whole number of ticks >= 0, got ${delay}`);
    }
    super(kernel, `${name}.crossing`, afterLanding);
  }

  /** Lands `effect` after the delay (at once with no delay; then `afterLanding` is the caller's business). */
  push(effect: () => void): void {
    if (this.delay === 0) {
      effect();
      return;
    }
    // Constant delay: appending keeps the queue in time order, and same-tick effects in push order.
    this.queue.push({ at: this.kernel.now + this.delay, land: effect });
    if (!this.task.pending) this.task.schedule(this.delay);
  }
}

/** Effects that land each at a time of its own (fault injection's delays, not a clock-domain crossing). */
export class Postponed extends Landings {
  constructor(kernel: Kernel, name: string, afterLanding: () => void = () => undefined) {
    super(kernel, `${name}.postponed`, afterLanding);
  }

  /** Lands `effect` `delay` ticks from now. */
  push(delay: Ticks, effect: () => void): void {
    const at = this.kernel.now + delay;
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.at > at) i--;
    this.queue.splice(i, 0, { at, land: effect });
    this.task.cancel();
    this.task.scheduleAt(this.queue[0]!.at as Ticks);
  }
}
