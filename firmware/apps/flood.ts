// Flood: the master sends as fast as buffers allow. With `stopAtNoMem` it sends without
// waiting and stops at the first RL_ERR_NO_MEM (the exhaustion a producer faster than its
// consumer meets); otherwise each send polls (RL_BLOCK) until a buffer comes back, and the
// run measures throughput. The remote counts and releases every message in its callback;
// it announces its endpoint through the name service, and the master starts once it has
// seen the announcement (so no message goes to an endpoint that does not exist yet).

import { cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import type { ProgramContext } from '../program';
import { RL_BLOCK, RL_DONT_BLOCK, RL_ERR_NO_MEM, RL_NS_CREATE, RL_RELEASE, RL_SUCCESS } from '../rpmsg-lite/constants';
import { rpmsg_ns_announce, rpmsg_ns_bind } from '../rpmsg-lite/rpmsg-ns';
import { initOrFail } from './init';
import { declareApp } from './declaration';
import { codeCounter, newMessageLog } from './measure';

export interface FloodOptions {
  count: number;
  payloadSize: number;
  stopAtNoMem?: boolean;
  /** Cycles the remote's callback spends per message (a slow consumer), default 0. */
  consumerCycles?: number;
  /** Keep the message log (records of the first MESSAGE_LOG_LIMIT messages, latency statistics of all); off saves its work. */
  log?: boolean;
}

export function flood(options: FloodOptions) {
  const result = {
    sent: 0,
    received: 0,
    bytesReceived: 0,
    firstNoMemAt: -1,
    codes: new Map<number, number>(),
    log: newMessageLog(),
    startTick: -1,
    endTick: -1,
    done: false,
  };
  const { count } = codeCounter(result.codes);
  const logging = options.log ?? true;

  function* remote(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    const ept = yield* rl.createEpt(30, function* (_payload, length) {
      if (logging) result.log.delivered(ctx.role, ctx.kernel.now);
      result.received++;
      result.bytesReceived += length;
      yield* ctx.core.exec(cycles(options.consumerCycles ?? 0));
      if (result.received === options.count) {
        result.endTick = ctx.kernel.now;
        result.done = true;
        ctx.kernel.stop();
      }
      return RL_RELEASE;
    });
    yield* rl.waitForLinkUp(RL_BLOCK);
    count(yield* rpmsg_ns_announce(rl, ept, 'flood-sink', RL_NS_CREATE));
  }

  function* master(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    let peer = -1;
    yield* rpmsg_ns_bind(rl, function* (addr) {
      peer = addr;
    });
    const ept = (yield* rl.createEpt(1, function* () {
      return RL_RELEASE;
    }))!;
    if (!(options.stopAtNoMem ?? false)) {
      while (peer < 0) yield* ctx.core.waitForInterrupt();
    }
    const message = new Uint8Array(options.payloadSize);
    result.startTick = ctx.kernel.now;
    for (let i = 0; i < options.count; i++) {
      message[0] = i & 0xff;
      const call = ctx.kernel.now;
      const code = count(yield* rl.send(ept, 30, message, options.payloadSize, options.stopAtNoMem ? RL_DONT_BLOCK : RL_BLOCK));
      if (logging && code === RL_SUCCESS) result.log.sent(result.log.sending(ctx.role, call), ctx.kernel.now);
      if (code === RL_ERR_NO_MEM) {
        result.firstNoMemAt = i;
        result.done = true;
        ctx.kernel.stop();
        return;
      }
      if (code === RL_SUCCESS) result.sent++;
    }
  }

  return { master, remote, result };
}

export const floodApp = declareApp<FloodOptions>()({
  name: 'flood',
  description: 'The master sends as fast as buffers allow; the remote counts and releases.',
  params: {
    count: { key: 'count', kind: 'count', required: true, description: 'Messages to send.' },
    payloadSize: { key: 'payload-size', kind: 'size', required: true, description: 'Bytes per message.' },
    stopAtNoMem: {
      key: 'stop-at-no-mem',
      kind: 'flag',
      required: false,
      description: 'Send without waiting and stop at the first RL_ERR_NO_MEM (default false: poll for a buffer).',
    },
    consumerCycles: { key: 'consumer-cycles', kind: 'cycles', required: false, spentBy: 'remote', description: "Cycles the remote's callback spends per message (default 0)." },
    log: { key: 'log', kind: 'flag', required: false, description: "Keep the app's own record per message (default false)." },
  },
  // A scenario's summary comes from the trace, so the app's own log is off unless asked for.
  create: (options) => flood({ log: false, ...options }),
});
