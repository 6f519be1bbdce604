// A firmware module of your own (docs/api.md, docs/scenario-format.md "Modules"): each export
// is a core's program, a generator function that gets the core's ProgramContext. It imports
// the library only through the package entry `rpmsg-sim/firmware`; when the simulator
// compiles the module, that import is the running simulator's own copy of the library.
//
// The master sends COUNT messages "ping N" to the remote's endpoint and waits for each echo;
// the remote sends every message it gets back where it came from. Used by echo.yaml and
// embed.mjs.

import { type Firmware, type ProgramContext, RL_BLOCK, RL_RELEASE, RL_SUCCESS, RpmsgLite, copyFromShared, cycles } from 'rpmsg-sim/firmware';

/** Messages the master sends (echo.yaml expects as many each way). */
const COUNT = 3;

/** The endpoint addresses of the two sides (any number but RL_ADDR_ANY and the name service's 0x35). */
const MASTER_EPT = 10;
const REMOTE_EPT = 30;

export function* master(ctx: ProgramContext): Firmware<void> {
  const rl = yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId);
  if (rl === null) throw new Error('rpmsg_lite_master_init failed');
  let echoes = 0;
  const ept = yield* rl.createEpt(MASTER_EPT, function* () {
    echoes++;
    return RL_RELEASE;
  });
  if (ept === null) throw new Error('rpmsg_lite_create_ept failed');
  // The remote needs a moment to come up and create its endpoint: 20,000 cycles of this core
  // (133 us at the LPC55S69's 150 MHz), an assumption of this example, ample for the remote's
  // init; not a figure of rpmsg-lite.
  yield* ctx.core.exec(cycles(20_000));
  for (let n = 0; n < COUNT; n++) {
    const text = new TextEncoder().encode(`ping ${n}`);
    const code = yield* rl.send(ept, REMOTE_EPT, text, text.length, RL_BLOCK);
    if (code !== RL_SUCCESS) throw new Error(`rpmsg_lite_send returned ${code}`);
    // Wait for the echo: the rx interrupt runs the endpoint's callback.
    while (echoes <= n) yield* ctx.core.waitForInterrupt();
  }
  ctx.kernel.stop(); // done: the run ends here (stop reason "finished"), not at echo.yaml's time limit
}

export function* remote(ctx: ProgramContext): Firmware<void> {
  const rl = yield* RpmsgLite.remoteInit(ctx, ctx.sharedMemory.base, ctx.linkId);
  if (rl === null) throw new Error('rpmsg_lite_remote_init failed');
  /** Messages received and not yet echoed: their payload copied out, and who sent them. */
  const pending: { data: Uint8Array; src: number }[] = [];
  const ept = yield* rl.createEpt(REMOTE_EPT, function* (payload, length, src) {
    // Copy the payload out of the shared buffer (memcpy, charged to this core), then release it.
    pending.push({ data: yield* copyFromShared(ctx.core, ctx.costs, payload, length), src });
    return RL_RELEASE;
  });
  if (ept === null) throw new Error('rpmsg_lite_create_ept failed');
  for (;;) {
    while (pending.length > 0) {
      const { data, src } = pending.shift()!;
      yield* rl.send(ept, src, data, data.length, RL_BLOCK);
    }
    yield* ctx.core.waitForInterrupt();
  }
}
