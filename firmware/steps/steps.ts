// Firmware made of scenario steps: each core's list of steps becomes one program, run in
// order on that core. Endpoint names are local to a core's steps.

import { FirmwareError, type Ticks, cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { SYSTICK_IRQN } from '../../sim/hw/nvic';
import { SysTick } from '../../sim/hw/systick';
import type { ProgramContext } from '../program';
import { copyToShared } from '../costs/libc';
import {
  RL_ADDR_ANY,
  RL_BLOCK,
  RL_HOLD,
  RL_NS_CREATE,
  RL_NS_DESTROY,
  RL_RELEASE,
  RL_SUCCESS,
} from '../rpmsg-lite/constants';
import { type Endpoint, RpmsgLite } from '../rpmsg-lite/rpmsg-lite';
import { initOrFail } from '../apps/init';
import { readNsName, rpmsg_ns_announce, rpmsg_ns_bind } from '../rpmsg-lite/rpmsg-ns';
import { type RpmsgQueue, rpmsg_queue_create, rpmsg_queue_recv, rpmsgQueueRxCallback } from '../rpmsg-lite/rpmsg-queue';
import type { Duration, Step } from './types';

interface EndpointState {
  ept: Endpoint;
  received: number;
  /** Payload addresses of held messages, oldest first. */
  held: number[];
  queue: RpmsgQueue | null;
}

/** Names announced to this core through the name service. */
type Directory = Map<string, number>;

export interface StepHooks {
  /** A `mark` step: the runner dumps the shared memory. */
  mark(label: string): void;
  /** Ticks of a duration (cycles count on the named core's clock). */
  ticks(d: Duration): number;
  /** Step `index` (from 0) begins; `steps.length` once the last has ended (the runner's wait report). */
  onStep?(index: number): void;
}

/** The program of a list of steps. */
export function stepsProgram(steps: Step[], hooks: StepHooks) {
  return function* (ctx: ProgramContext): Firmware<void> {
    const core = ctx.core;
    let rl: RpmsgLite | null = null;
    const endpoints = new Map<string, EndpointState>();
    const directory: Directory = new Map();
    const ticks = (d: Duration): number => hooks.ticks(d);
    const sleeper = new StepSleep(ctx);
    const instance = (): RpmsgLite => {
      if (rl === null) throw new FirmwareError(`core ${core.name}: a step needs rpmsg-lite, but no init step ran before it`);
      return rl;
    };
    const endpoint = (name: string): EndpointState => {
      const e = endpoints.get(name);
      if (e === undefined) throw new FirmwareError(`core ${core.name}: no endpoint "${name}"`);
      return e;
    };
    /** Waits (WFI) until `done()` or `deadline` (tick); nothing between the check and the WFI. */
    function* waitUntil(done: () => boolean, deadline: number): Firmware<boolean> {
      for (;;) {
        if (done()) return true;
        if (ctx.kernel.now >= deadline) return false;
        yield* sleepUntil(ctx, done, deadline);
      }
    }
    function* destination(to: number | string): Firmware<number> {
      if (typeof to === 'number') return to;
      const name = to.startsWith('ns:') ? to.slice(3) : to;
      // Wait for the announcement (the name service delivers it in the ISR).
      yield* waitUntil(() => directory.has(name), Infinity);
      return directory.get(name)!;
    }
    const timeout = (t: number | 'block'): number => (t === 'block' ? RL_BLOCK : t);

    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      hooks.onStep?.(index);
      switch (step.kind) {
        case 'init':
          rl = yield* initOrFail(ctx);
          break;
        case 'create-endpoint': {
          const dev = instance();
          const state: EndpointState = { ept: null as unknown as Endpoint, received: 0, held: [], queue: null };
          if (step.onReceive === 'queue') {
            state.queue = rpmsg_queue_create(dev);
            if (state.queue === null) throw new FirmwareError(`core ${core.name}: endpoint "${step.name}" needs queues (environment: rtos)`);
          }
          const queueCallback = state.queue !== null ? rpmsgQueueRxCallback(dev, state.queue) : null;
          const ept = yield* dev.createEpt(step.addr === 'any' ? RL_ADDR_ANY : step.addr, function* (payload, length, src) {
            state.received++;
            if (queueCallback !== null) return yield* queueCallback(payload, length, src);
            if (step.onReceive === 'hold') {
              state.held.push(payload);
              return RL_HOLD;
            }
            return RL_RELEASE;
          });
          if (ept === null) throw new FirmwareError(`core ${core.name}: endpoint "${step.name}" could not be created (address taken)`);
          state.ept = ept;
          endpoints.set(step.name, state);
          break;
        }
        case 'destroy-endpoint':
          yield* instance().destroyEpt(endpoint(step.endpoint).ept);
          endpoints.delete(step.endpoint);
          break;
        case 'wait-link-up':
          yield* instance().waitForLinkUp(timeout(step.timeoutMs));
          break;
        case 'send':
        case 'send-nocopy': {
          const dev = instance();
          const from = endpoint(step.from).ept;
          const dst = yield* destination(step.to);
          const data = step.kind === 'send' && step.data !== undefined ? new TextEncoder().encode(step.data) : null;
          const size = data?.length ?? step.size ?? 0;
          for (let i = 0; i < step.repeat; i++) {
            if (i > 0 && step.interval !== undefined) yield* sleepFor(ctx, ticks(step.interval));
            if (step.kind === 'send') {
              // A size past the payload is refused (RL_ERR_BUFF_SIZE) before the data is read: no need to make 4 GiB of pattern.
              yield* dev.send(from, dst, data ?? pattern(Math.min(size, dev.config.bufferPayloadSize), i), size, timeout(step.timeoutMs));
            } else {
              const buffer = yield* dev.allocTxBuffer(timeout(step.timeoutMs));
              if (buffer === null) continue; // the trace shows the failed alloc
              if (size > 0) yield* copyToShared(core, ctx.costs, buffer.buffer, pattern(Math.min(size, buffer.size), i)); // the app's memcpy into the buffer
              yield* dev.sendNocopy(from, dst, buffer.buffer, size);
            }
          }
          break;
        }
        case 'receive': {
          const e = endpoint(step.endpoint);
          const deadline = step.timeout === undefined ? Infinity : ctx.kernel.now + ticks(step.timeout);
          yield* waitUntil(() => e.received >= step.count, deadline);
          break;
        }
        case 'queue-receive': {
          const dev = instance();
          const e = endpoint(step.endpoint);
          const data = new Uint8Array(dev.config.bufferPayloadSize);
          for (let i = 0; i < step.count; i++) {
            const code = yield* rpmsg_queue_recv(dev, e.queue, null, data, data.length, null, timeout(step.timeoutMs));
            if (code !== RL_SUCCESS) break;
          }
          break;
        }
        case 'release': {
          const dev = instance();
          const e = endpoint(step.endpoint);
          const n = step.count === 'all' ? e.held.length : Math.min(step.count, e.held.length);
          for (let i = 0; i < n; i++) {
            // Masked: a thread-mode release races with the rx ISR on the same ring (docs/sources.md "Notifications and the rx ISR").
            yield* core.disableInterrupts();
            yield* dev.releaseRxBuffer(e.held.shift()!);
            yield* core.enableInterrupts();
          }
          break;
        }
        case 'ns-bind': {
          const dev = instance();
          yield* rpmsg_ns_bind(dev, function* (addr, nameAddress, flags) {
            const name = yield* readNsName(dev, nameAddress);
            if (flags === RL_NS_DESTROY) directory.delete(name);
            else directory.set(name, addr);
          });
          break;
        }
        case 'ns-announce':
          yield* rpmsg_ns_announce(instance(), endpoint(step.endpoint).ept, step.name, step.flags === 'destroy' ? RL_NS_DESTROY : RL_NS_CREATE);
          break;
        case 'delay':
          yield* sleepFor(ctx, ticks(step.duration));
          break;
        case 'sleep':
          yield* sleeper.sleep(ticks(step.duration));
          break;
        case 'compute':
          yield* core.exec(cycles(step.cycles));
          break;
        case 'mark':
          hooks.mark(step.label);
          break;
        case 'pin-high':
        case 'pin-low':
          yield* ctx.pins.set(step.pin ?? ctx.pins.own, step.kind === 'pin-high');
          break;
      }
    }
    hooks.onStep?.(steps.length);
  };
}

/** Distinct bytes for message `i` of a size-only send. */
function pattern(size: number, i: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, k) => (i * 31 + k) & 0xff);
}

/**
 * The `sleep` step. Bare metal: SysTick as a one-shot timer, as firmware without an RTOS
 * sleeps (SysTick_Config of the span in core cycles; its handler stops the counter and sets a
 * flag), then WFI until the flag is set: an interrupt that wakes the core earlier (an rx
 * doorbell) is taken and the core sleeps again. The span is whole core cycles, rounded up; one
 * that does not fit the 24-bit reload is k equal periods of at most 2^24 cycles (k the fewest
 * that fit), so it lasts k × ceil(span / k) cycles. Under an RTOS (which owns SysTick for its
 * tick): the environment's env_sleep_msec of the span in whole milliseconds, rounded up.
 */
class StepSleep {
  /** One SysTick per reload value in use (made on first use; the core has one, reprogrammed). */
  private readonly timers = new Map<number, SysTick>();
  private wired: SysTick | null = null;
  private wrapsLeft = 0;

  constructor(private readonly ctx: ProgramContext) {}

  *sleep(span: number): Firmware<void> {
    if (span <= 0) return;
    const { core, env, kernel } = this.ctx;
    if (env.kind !== 'bare-metal') {
      yield* env.sleepMsec(Math.ceil(kernel.timebase.toNs(span as Ticks) / 1e6));
      return;
    }
    const total = Math.ceil(span / core.clock.period);
    const periods = Math.ceil(total / SYSTICK_MAX_RELOAD);
    const timer = this.timer(Math.ceil(total / periods));
    this.wrapsLeft = periods;
    yield* core.exec(cycles(SLEEP_ARM_CYCLES));
    timer.start();
    while (this.wrapsLeft > 0) yield* core.waitForInterrupt();
  }

  private timer(reload: number): SysTick {
    const { core } = this.ctx;
    let timer = this.timers.get(reload);
    if (timer === undefined) {
      timer = new SysTick(core.kernel, `${core.name}.systick`, core.clock, reload);
      this.timers.set(reload, timer);
    }
    if (this.wired !== timer) {
      // A system exception, always enabled; its priority stays the reset value, 0 (SHPR3).
      core.nvic.connect(SYSTICK_IRQN, timer.line, 'edge');
      const wired = timer;
      core.setHandler(SYSTICK_IRQN, () => this.handler(wired));
      this.wired = timer;
    }
    return timer;
  }

  private *handler(timer: SysTick): Firmware<void> {
    yield* this.ctx.core.exec(cycles(SLEEP_HANDLER_CYCLES));
    this.wrapsLeft--;
    if (this.wrapsLeft <= 0) timer.stop();
  }
}

/** SYST_RVR is 24 bits: a period of at most 2^24 cycles (Armv7-M ARM B3.3.3). */
const SYSTICK_MAX_RELOAD = 1 << 24;
/**
 * Assumption: arming the one-shot, SysTick_Config inlined: the reload, the counter clear and
 * the control word (three stores to the SysTick registers) with the loads of their values,
 * about six instructions at one cycle each; the registers sit in the core's private
 * peripheral space, which adds no bus wait.
 */
const SLEEP_ARM_CYCLES = 6;
/**
 * Assumption: the SysTick handler's body: a store to SYST_CSR (counter off) and one to the
 * flag, with the loads of their addresses: four cycles. Entry, stacking and exit are the
 * core's exception timing.
 */
const SLEEP_HANDLER_CYCLES = 4;

/** Idles for `span` ticks as a busy-wait (the SDK's delay loops): whole core cycles, rounded up. */
function* sleepFor(ctx: ProgramContext, span: number): Firmware<void> {
  if (span > 0) yield* ctx.core.exec(cycles(Math.ceil(span / ctx.core.clock.period)));
}

/** Polling granularity of a wait with a deadline: 1000 core cycles of busy-waiting per check. */
const POLL_CYCLES = 1000;

/**
 * Waits until `done()`: with no deadline in WFI (woken by the rx interrupt); with one by
 * polling every POLL_CYCLES (firmware has no timer here), so the wait can end at the deadline.
 */
function* sleepUntil(ctx: ProgramContext, done: () => boolean, deadline: number): Firmware<void> {
  if (done()) return;
  if (deadline === Infinity) {
    yield* ctx.core.waitForInterrupt();
    return;
  }
  const left = Math.ceil((deadline - ctx.kernel.now) / ctx.core.clock.period);
  yield* ctx.core.exec(cycles(Math.max(1, Math.min(POLL_CYCLES, left))));
}
