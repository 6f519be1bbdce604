// String echo, after the SDK demo rpmsg_lite_str_echo: the remote announces an endpoint,
// copies each string it receives in the callback, and its main loop sends it back to the
// sender; the master sends its strings one at a time and collects the echoes.

import { copyFromShared } from '../costs/libc';
import type { Firmware } from '../../sim/hw/core';
import type { ProgramContext } from '../program';
import { RL_ADDR_ANY, RL_BLOCK, RL_NS_CREATE, RL_RELEASE } from '../rpmsg-lite/constants';
import { initOrFail } from './init';
import { rpmsg_ns_announce, rpmsg_ns_bind } from '../rpmsg-lite/rpmsg-ns';
import { declareApp } from './declaration';
import { codeCounter, newMessageLog } from './measure';

export interface StrEchoOptions {
  /** Sent one at a time by the master; each comes back. */
  strings: string[];
  /** The channel name announced (the SDK's RPMSG_LITE_NS_ANNOUNCE_STRING). */
  channel?: string;
  /** The remote's endpoint address (the SDK's LOCAL_EPT_ADDR is 30). */
  remoteEndpoint?: number;
}

export function strEcho(options: StrEchoOptions) {
  const channel = options.channel ?? 'rpmsg-virtual-tty-channel-1';
  const result = { echoes: [] as string[], log: newMessageLog(), codes: new Map<number, number>(), done: false };
  const { count } = codeCounter(result.codes);

  function* remote(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    yield* rl.waitForLinkUp(RL_BLOCK);
    const inbox: { bytes: Uint8Array; src: number }[] = [];
    const ept = (yield* rl.createEpt(options.remoteEndpoint ?? 30, function* (payload, length, src) {
      result.log.delivered(ctx.role, ctx.kernel.now);
      inbox.push({ bytes: yield* copyFromShared(ctx.core, ctx.costs, payload, length), src }); // copy out, then release
      return RL_RELEASE;
    }))!;
    count(yield* rpmsg_ns_announce(rl, ept, channel, RL_NS_CREATE));
    for (;;) {
      while (inbox.length === 0) yield* ctx.core.waitForInterrupt();
      const { bytes, src } = inbox.shift()!;
      const id = result.log.sending(ctx.role, ctx.kernel.now);
      count(yield* rl.send(ept, src, bytes, bytes.length, RL_BLOCK));
      result.log.sent(id, ctx.kernel.now);
    }
  }

  function* master(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    let peer = -1;
    yield* rpmsg_ns_bind(rl, function* (addr) {
      peer = addr;
    });
    const inbox: string[] = [];
    const ept = (yield* rl.createEpt(RL_ADDR_ANY, function* (payload, length) {
      result.log.delivered(ctx.role, ctx.kernel.now);
      inbox.push(new TextDecoder().decode(yield* copyFromShared(ctx.core, ctx.costs, payload, length)));
      return RL_RELEASE;
    }))!;
    while (peer < 0) yield* ctx.core.waitForInterrupt();
    for (const s of options.strings) {
      const bytes = new TextEncoder().encode(s);
      const id = result.log.sending(ctx.role, ctx.kernel.now);
      count(yield* rl.send(ept, peer, bytes, bytes.length, RL_BLOCK));
      result.log.sent(id, ctx.kernel.now);
      while (inbox.length === 0) yield* ctx.core.waitForInterrupt();
      result.echoes.push(inbox.shift()!);
    }
    result.done = true;
    ctx.kernel.stop();
  }

  return { master, remote, result };
}

export const strEchoApp = declareApp<StrEchoOptions>()({
  name: 'str-echo',
  description: "NXP's rpmsg_lite_str_echo demo: the remote sends back every string the master sends.",
  params: {
    strings: { key: 'strings', kind: 'strings', required: true, description: 'Sent one at a time; each comes back.' },
    channel: { key: 'channel', kind: 'ns-name', required: false, description: 'The name announced (default rpmsg-virtual-tty-channel-1).' },
    remoteEndpoint: { key: 'remote-endpoint', kind: 'address', required: false, description: "The remote's endpoint address (default 30)." },
  },
  create: strEcho,
});
