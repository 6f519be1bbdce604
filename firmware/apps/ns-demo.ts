// Name-service demo: the master binds the name service; the remote creates several
// endpoints (addresses chosen by RL_ADDR_ANY) and announces each under its own name; the
// master greets every endpoint it learns of, and each remote endpoint answers with its name.

import { copyFromShared } from '../costs/libc';
import type { Firmware } from '../../sim/hw/core';
import type { ProgramContext } from '../program';
import { RL_ADDR_ANY, RL_BLOCK, RL_NS_CREATE, RL_RELEASE } from '../rpmsg-lite/constants';
import { initOrFail } from './init';
import { readNsName, rpmsg_ns_announce, rpmsg_ns_bind } from '../rpmsg-lite/rpmsg-ns';
import { declareApp } from './declaration';
import { codeCounter } from './measure';

export interface NsDemoOptions {
  /** One remote endpoint is created and announced per name. */
  names: string[];
}

export function nsDemo(options: NsDemoOptions) {
  const result = {
    announced: [] as { name: string; addr: number; flags: number }[],
    replies: [] as string[],
    codes: new Map<number, number>(),
    done: false,
  };
  const { count } = codeCounter(result.codes);

  function* remote(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    yield* rl.waitForLinkUp(RL_BLOCK);
    const todo: { ept: import('../rpmsg-lite/rpmsg-lite').Endpoint; name: string; to: number }[] = [];
    for (const name of options.names) {
      const ept = (yield* rl.createEpt(RL_ADDR_ANY, function* (_payload, _length, src) {
        todo.push({ ept, name, to: src });
        return RL_RELEASE;
      }))!;
      count(yield* rpmsg_ns_announce(rl, ept, name, RL_NS_CREATE));
    }
    for (;;) {
      while (todo.length === 0) yield* ctx.core.waitForInterrupt();
      const { ept, name, to } = todo.shift()!;
      const bytes = new TextEncoder().encode(`${name}@${ept.addr}`);
      count(yield* rl.send(ept, to, bytes, bytes.length, RL_BLOCK));
    }
  }

  function* master(ctx: ProgramContext): Firmware<void> {
    const rl = yield* initOrFail(ctx);
    yield* rpmsg_ns_bind(rl, function* (addr, nameAddress, flags) {
      result.announced.push({ name: yield* readNsName(rl, nameAddress), addr, flags });
    });
    const ept = (yield* rl.createEpt(RL_ADDR_ANY, function* (payload, length) {
      result.replies.push(new TextDecoder().decode(yield* copyFromShared(ctx.core, ctx.costs, payload, length)));
      return RL_RELEASE;
    }))!;
    let greeted = 0;
    // Nothing between a check and the WFI: an ISR can only run at an operation boundary.
    for (;;) {
      if (greeted < result.announced.length) {
        count(yield* rl.send(ept, result.announced[greeted]!.addr, new TextEncoder().encode('hello'), 5, RL_BLOCK));
        greeted++;
        continue;
      }
      if (result.replies.length >= options.names.length) break;
      yield* ctx.core.waitForInterrupt();
    }
    result.done = true;
    ctx.kernel.stop();
  }

  return { master, remote, result };
}

export const nsDemoApp = declareApp<NsDemoOptions>()({
  name: 'ns-demo',
  description: 'The remote announces one endpoint per name; the master greets each and each answers with its name.',
  params: {
    names: { key: 'names', kind: 'ns-names', required: true, description: 'One remote endpoint announced per name.' },
  },
  create: nsDemo,
});
