// Ping-pong, after NXP's SDK demo rpmsg_lite_pingpong (bare-metal variant): the remote
// announces its endpoint through the name service; the master binds, learns the remote's
// address and sends a counter; each side increments the counter and sends it back, N times.
// The demo's busy `while (!has_received) {}` loops are WFI here: the thread resumes at the
// same moment after the ISR, and the idle time shows as sleep, not as busy cycles.

import type { Firmware } from '../../sim/hw/core';
import type { ProgramContext } from '../program';
import { RL_ADDR_ANY, RL_BLOCK, RL_NS_CREATE, RL_RELEASE, RL_SUCCESS } from '../rpmsg-lite/constants';
import { initOrFail } from './init';
import { rpmsg_ns_announce, rpmsg_ns_bind } from '../rpmsg-lite/rpmsg-ns';
import { declareApp } from './declaration';
import { type MessageLog, codeCounter, keepFirst, newMessageLog } from './measure';

/** The counter each message carries is a uint32. */
export const PING_PONG_MIN_PAYLOAD = 4;

export interface PingPongOptions {
  /** Round trips (the SDK demo does 100). */
  count: number;
  /** Bytes per message: the counter, then padding (at least PING_PONG_MIN_PAYLOAD; see the declaration below). */
  payloadSize: number;
  /** The remote's endpoint address (the SDK's LOCAL_EPT_ADDR is 30). */
  remoteEndpoint?: number;
  /** The channel name announced (the SDK's RPMSG_LITE_NS_ANNOUNCE_STRING). */
  channel?: string;
  /**
   * Measure with each core's GPIO pin, as on the bench: the master raises its pin before each
   * send and lowers it once the reply is in; the remote raises its pin on entry to its rx
   * callback and lowers it when its reply's send has returned.
   */
  pin?: boolean;
  /**
   * Milliseconds the remote waits between creating its endpoint and announcing it. The SDK's
   * FreeRTOS and Zephyr remotes of this demo wait 1000 ms there (SDK_DelayAtLeastUs(1000000U) /
   * k_sleep(K_MSEC(1000))) "to avoid NS announce message not being captured by the master
   * side ... when the remote side execution is too fast": a remote that wakes on link-up at
   * once can announce before the master's rpmsg_ns_bind, and the announcement is dropped.
   * Default 0, as the bare-metal demo.
   */
  announceDelayMs?: number;
}

export interface PingPongResult {
  /** Counter values the master received, in order (the first MESSAGE_LOG_LIMIT: memory stays flat). */
  masterReceived: number[];
  /** Counter values the remote received, in order (the first MESSAGE_LOG_LIMIT). */
  remoteReceived: number[];
  /** Every send and delivery, for latency figures (records of the first MESSAGE_LOG_LIMIT). */
  log: MessageLog;
  /** Return codes of every rpmsg-lite call the app checked, by value. */
  codes: Map<number, number>;
  done: boolean;
}

export function pingPong(options: PingPongOptions) {
  const size = options.payloadSize;
  const remoteAddr = options.remoteEndpoint ?? 30;
  const channel = options.channel ?? 'rpmsg-openamp-demo-channel';
  const pin = options.pin ?? false;
  const announceDelayMs = options.announceDelayMs ?? 0;
  const result: PingPongResult = {
    masterReceived: [],
    remoteReceived: [],
    log: newMessageLog(),
    codes: new Map<number, number>(),
    done: false,
  };
  const { count } = codeCounter(result.codes);

  function* remote(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    yield* rl.waitForLinkUp(RL_BLOCK);
    const inbox: { value: number; src: number }[] = [];
    const ept = (yield* rl.createEpt(remoteAddr, function* (payload, _length, src) {
      if (pin) yield* ctx.pins.set(ctx.pins.own, true);
      result.log.delivered(ctx.role, ctx.kernel.now);
      inbox.push({ value: yield* ctx.core.read32(payload), src });
      return RL_RELEASE;
    }))!;
    if (announceDelayMs > 0) yield* ctx.env.sleepMsec(announceDelayMs);
    count(yield* rpmsg_ns_announce(rl, ept, channel, RL_NS_CREATE));
    const message = new Uint8Array(size);
    const view = new DataView(message.buffer);
    for (;;) {
      while (inbox.length === 0) yield* ctx.core.waitForInterrupt();
      const { value, src } = inbox.shift()!;
      keepFirst(result.remoteReceived, value);
      view.setUint32(0, value + 1, true);
      const start = ctx.kernel.now;
      const id = result.log.sending(ctx.role, start);
      count(yield* rl.send(ept, src, message, size, RL_BLOCK));
      result.log.sent(id, ctx.kernel.now);
      if (pin) yield* ctx.pins.set(ctx.pins.own, false);
    }
  }

  function* master(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    let peer = -1;
    yield* rpmsg_ns_bind(rl, function* (addr) {
      peer = addr;
    });
    const inbox: number[] = [];
    const ept = (yield* rl.createEpt(RL_ADDR_ANY, function* (payload) {
      result.log.delivered(ctx.role, ctx.kernel.now);
      inbox.push(yield* ctx.core.read32(payload));
      return RL_RELEASE;
    }))!;
    while (peer < 0) yield* ctx.core.waitForInterrupt();
    const message = new Uint8Array(size);
    const view = new DataView(message.buffer);
    let value = 0;
    for (let i = 0; i < options.count; i++) {
      view.setUint32(0, value, true);
      if (pin) yield* ctx.pins.set(ctx.pins.own, true);
      const id = result.log.sending(ctx.role, ctx.kernel.now);
      const code = count(yield* rl.send(ept, peer, message, size, RL_BLOCK));
      result.log.sent(id, ctx.kernel.now);
      if (code !== RL_SUCCESS) break;
      while (inbox.length === 0) yield* ctx.core.waitForInterrupt();
      value = inbox.shift()!;
      if (pin) yield* ctx.pins.set(ctx.pins.own, false);
      keepFirst(result.masterReceived, value);
      value++;
    }
    result.done = true;
    ctx.kernel.stop();
  }

  return { master, remote, result };
}

export const pingPongApp = declareApp<PingPongOptions>()({
  name: 'ping-pong',
  description: "NXP's rpmsg_lite_pingpong demo: a counter goes back and forth, incremented on each side.",
  params: {
    count: { key: 'count', kind: 'count', required: true, description: 'Round trips.' },
    payloadSize: {
      key: 'payload-size',
      kind: 'size',
      required: true,
      min: { value: PING_PONG_MIN_PAYLOAD, why: 'the counter is 4 bytes' },
      description: 'Bytes per message.',
    },
    remoteEndpoint: { key: 'remote-endpoint', kind: 'address', required: false, description: "The remote's endpoint address (default 30)." },
    channel: { key: 'channel', kind: 'ns-name', required: false, description: 'The name announced (default rpmsg-openamp-demo-channel).' },
    pin: {
      key: 'pin',
      kind: 'flag',
      required: false,
      description: "Drive each core's measuring pin: the master's high from before each send until the reply is in, the remote's from its rx callback's entry until its reply is sent.",
    },
    announceDelayMs: {
      key: 'announce-delay-ms',
      kind: 'count',
      required: false,
      description:
        "Milliseconds the remote waits before its name-service announcement (default none, as the bare-metal demo; the SDK's FreeRTOS and Zephyr remotes wait 1000 so that a master still binding does not miss it).",
    },
  },
  create: pingPong,
});
