// rpmsg_ns_announce's name field as the C library fills it: env_strncpy(ns_msg.name,
// ept_name, RL_NS_NAME_SIZE) is strncpy (lib/rpmsg_lite/porting/environment/rpmsg_env_*.c),
// which stops at the first NUL and zero-fills the rest of the 32 bytes (issue 12, class 10).

import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { stepsProgram } from '../steps/steps';
import type { Firmware } from '../../sim/hw/core';
import type { ProgramContext } from '../program';
import { initOrFail } from '../apps/init';
import { nsMessage, readNsName, rpmsg_ns_bind } from './rpmsg-ns';

const zeros = (n: number) => new Array<number>(n).fill(0);
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

describe('the name-service message', () => {
  test('a name with a NUL: the bytes after it are not copied, the field is zero to its end', () => {
    expect(Array.from(nsMessage('a\0b', 30, 0))).toEqual([0x61, ...zeros(31), ...le32(30), ...le32(0)]);
  });

  test('a name of exactly 32 bytes fills the field with no NUL; a longer one is cut at 32 bytes', () => {
    const name = 'abcdefghijklmnopqrstuvwxyz012345';
    const bytes = Array.from(new TextEncoder().encode(name));
    expect(Array.from(nsMessage(name, 1, 1))).toEqual([...bytes, ...le32(1), ...le32(1)]);
    expect(Array.from(nsMessage(`${name}6789`, 1, 1))).toEqual([...bytes, ...le32(1), ...le32(1)]);
  });

  test('a NUL at the start gives an empty name; a NUL past byte 32 changes nothing', () => {
    expect(Array.from(nsMessage('\0abc', 2, 0))).toEqual([...zeros(32), ...le32(2), ...le32(0)]);
    const long = `${'x'.repeat(32)}\0y`;
    expect(Array.from(nsMessage(long, 2, 0))).toEqual([...new Array<number>(32).fill(0x78), ...le32(2), ...le32(0)]);
  });

  test('in shared memory: the announcement of "a\\0b" in the remote\'s first buffer, and the master reads "a"', () => {
    const sys = buildRpmsgSystem('lpc55s69');
    const hooks = { mark: () => undefined, ticks: () => 0 };
    const seen: string[] = [];
    function* master(ctx: ProgramContext): Firmware<void> {
      const rl = yield* initOrFail(ctx);
      yield* rpmsg_ns_bind(rl, function* (addr, name, flags) {
        seen.push(`${yield* readNsName(rl, name)}@${addr} flags ${flags}`);
      });
    }
    startPrograms(sys, {
      master,
      remote: stepsProgram(
        [
          { kind: 'init' },
          { kind: 'wait-link-up', timeoutMs: 'block' },
          { kind: 'create-endpoint', name: 'svc', addr: 30, onReceive: 'release' },
          { kind: 'ns-announce', endpoint: 'svc', name: 'a\0b', flags: 'create' },
        ],
        hooks,
      ),
    });
    sys.kernel.run();
    const memory = [...sys.soc.memories.values()][0]!;
    const window = sys.soc.platform.cores[0].addressMap.find((w) => w.target === memory.name)!;
    // The remote sends in the master's rx buffers: buffer 0, after the two 0x50-byte vrings.
    const payload = sys.sharedMemory.base + 2 * 0x50 + 16 - window.base + window.targetOffset;
    expect(Array.from(memory.bytes.subarray(payload - 16, payload + 40))).toEqual([
      ...le32(30), // src
      ...le32(53), // dst: RL_NS_EPT_ADDR
      ...le32(0), // reserved
      40, 0, 0, 0, // len 40, flags 0
      0x61, ...zeros(31), // name
      ...le32(30), // addr
      ...le32(0), // flags: RL_NS_CREATE
    ]);
    expect(seen).toEqual(['a@30 flags 0']);
  });
});
