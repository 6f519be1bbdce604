// Lesson 5 (docs/teaching.md): the race between a thread-mode release and the rx ISR.
//
// Firmware of our own (a `module:` scenario), because the `release` step of scenario files
// always masks interrupts, as correct firmware must. Here the remote can release without
// masking (export `remote`) or with interrupts masked (export `remoteMasked`).
//
// What happens: the remote holds message 0 in its callback (RL_HOLD) and releases it later
// from thread mode. rpmsg_lite_release_rx_buffer gives the buffer back on the used ring of
// vring 1 (virtqueue_add_consumed_buffer): it reads used.idx, writes the entry
// used.ring[used.idx % N] (buffer index and length), then reads used.idx again and writes it
// plus one. On bare metal rpmsg-lite's lock is a no-op, so nothing stops the rx ISR of
// message 1 from running between the entry and the increment. The ISR gives message 1's
// buffer back through the same function: it reads the same used.idx, so it writes the same
// entry, over message 0's, and increments used.idx; then the release increments it again.
// used.idx went up by two, but only one entry was written: the other is whatever was left
// there since init, which (with two buffers) names message 1's buffer too. The master takes
// that one buffer twice and message 0's never comes back. Message 2 goes out in it; message
// 3, from the stale entry, goes out in it again before the remote has read message 2:
// message 2 arrives with message 3's header (its length) and payload.
//
// The timing is what makes it happen: the master sends message 1 GAP_CYCLES after message
// 0, which puts message 1's interrupt inside the release's read-to-write window. On this
// platform and build (-Os, newlib-nano, the master's code in ITCM), every gap from 538 to
// 600 cycles ends with message 2 overwritten (a scan of 300 to 1404 in steps of 6, and
// cycle by cycle at the edges, found no other); 569 is the middle. firmware/rpmsg-lite/
// delivery.property.test.ts reproduces the same race with a program of its own.

import { type Firmware, type ProgramContext, RL_BLOCK, RL_HOLD, RL_RELEASE, RpmsgLite, cycles } from 'rpmsg-sim/firmware';

/** Cycles of the master between message 0's send returning and message 1's send. */
const GAP_CYCLES = 569;

/** The remote's endpoint; the master's is 20. */
const REMOTE_EPT = 40;

/** Payload sizes of messages 0 to 3: message 3 is one byte longer, so a message that arrives with its header shows in the trace. */
const SIZES = [0, 0, 0, 1];

export function* master(ctx: ProgramContext): Firmware<void> {
  const rl = (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
  const ept = (yield* rl.createEpt(20, function* () {
    return RL_RELEASE;
  }))!;
  yield* ctx.core.exec(cycles(50_000)); // about 50 us: the remote is up and waiting
  for (const [k, size] of SIZES.entries()) {
    if (k === 1) yield* ctx.core.exec(cycles(GAP_CYCLES));
    yield* rl.send(ept, REMOTE_EPT, new Uint8Array(size).fill(0xa0 + k), size, RL_BLOCK);
  }
}

function remoteProgram(mask: boolean) {
  return function* (ctx: ProgramContext): Firmware<void> {
    const rl = (yield* RpmsgLite.remoteInit(ctx, ctx.sharedMemory.base, ctx.linkId))!;
    const held: number[] = [];
    let seen = 0;
    yield* rl.createEpt(REMOTE_EPT, function* (address) {
      // Hold message 0 (keep its buffer to read later); release the others at once.
      if (seen++ > 0) return RL_RELEASE;
      held.push(address);
      return RL_HOLD;
    });
    for (;;) {
      while (held.length > 0) {
        if (mask) yield* ctx.core.disableInterrupts(); // cpsid i
        yield* rl.releaseRxBuffer(held.shift()!);
        if (mask) yield* ctx.core.enableInterrupts(); // cpsie i
      }
      yield* ctx.core.waitForInterrupt();
    }
  };
}

/** Releases without masking interrupts: the race. */
export const remote = remoteProgram(false);

/** Releases with interrupts masked around the call, as firmware must on bare metal. */
export const remoteMasked = remoteProgram(true);
