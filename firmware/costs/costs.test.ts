// The cost tables: what they hold, how overrides change them, and that one table per core is
// what everything on that core charges. Cycle counts are hand-computed from the entries.

import { ConfigError, cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import type { CortexMPort } from '../../platforms/common/cortex-m-port';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import type { BareMetalEnv } from '../env/rpmsg-env-bm';
import type { RtosEnv } from '../env/rpmsg-env-freertos';
import { RL_ADDR_ANY, RL_RELEASE } from '../rpmsg-lite/constants';
import { RpmsgLite } from '../rpmsg-lite/rpmsg-lite';
import { CORE_TYPE_COSTS, SDK_DEFAULTS, coreCosts } from './registry';
import { BUILD_TABLES, OPT_LEVELS } from './builds';
import { LIBC_MODELS, copyAccesses } from './libc';
import { plus } from './table';

/** The error `fn` throws (the test fails when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
}

describe('the tables', () => {
  test('every core type has a table per -O level, and every entry has a unit and a source', () => {
    for (const [type, costs] of Object.entries(CORE_TYPE_COSTS)) {
      for (const opt of OPT_LEVELS) expect([type, opt, Object.hasOwn(BUILD_TABLES, costs.bases[opt]!)]).toEqual([type, opt, true]);
    }
    const table = coreCosts('cortex-m4');
    // cyclesPerInstruction + 22 rl + 5 port + 3 env + 7 libc + 7 rtos + 2 gpio + 3 cache (the RL_USE_DCACHE hooks) + 27 zephyr
    expect(table.entries.size).toBe(1 + 22 + 5 + 3 + 7 + 7 + 2 + 3 + 27);
    for (const [path, e] of table.entries) expect([path, e.source.length > 20, Number.isFinite(e.value)]).toEqual([path, true, true]);
  });

  test('the defaults are the SDK release build: -Os, newlib-nano; the ISA comes from the build', () => {
    const m0 = coreCosts('cortex-m0+');
    expect([m0.basis, m0.isa, m0.opt, m0.libc]).toEqual(['cortex-m0plus/gcc-12.2.1-Os', 'armv6-m', 'Os', 'newlib-nano']);
    const a53 = coreCosts('cortex-a53', { opt: 'O2' });
    expect([a53.basis, a53.isa]).toEqual(['cortex-m4/gcc-12.2.1-O2', 'armv7e-m']); // no A53 build: the M4's counts
  });

  test('instructions become cycles through the core type\'s cycles per instruction, rounded per charge', () => {
    const m4 = coreCosts('cortex-m4', { opt: 'O2' });
    expect(m4.cost('rl.sendMaster')).toBe(209); // (166 − 14 − 3 = 149) × 1.4 = 208.6
    expect(m4.cost('rl.endpointListNode', 3)).toBe(25); // 18 × 1.4 = 25.2
    expect(m4.cost('port.notify')).toBe(20); // 14 × 1.4 = 19.6
    expect(m4.cost('env.lockMutex')).toBe(1); // 1.4
    expect(m4.cost('env.delayLoopIteration', 1000)).toBe(3000); // cycles already
    expect(m4.cost('rtos.contextSwitch')).toBe(84);
    expect(m4.remainder('rl.rxMasterRelease', 'rl.rxMasterHold')).toBe(42); // 192 − 150 (137 × 1.4 = 191.8, 107 × 1.4 = 149.8)
    // newlib-nano memcpy on ARMv7E-M: 64 bytes: round(14.7 + 0.537 × 64 = 49.07) = 49, minus 16 word stores = 33 → 46.2.
    expect(m4.memcpy(64)).toBe(46);
    // 7 bytes: round(14.7 + 3.76) = 18 + 10 (tail) − 2 stores = 26 → 36.4.
    expect(m4.memcpy(7)).toBe(36);
    // src+1, 64 bytes: round(19.3 + 0.54 × 64 = 53.86) = 54 − 16 = 38 → 53.2.
    expect(m4.memcpy(64, { srcAligned: false })).toBe(53);
    const m7 = coreCosts('cortex-m7', { opt: 'O2' });
    expect(m7.cost('rl.sendMaster')).toBe(154); // (171 − 14 − 3 = 154) × 1.0
    const m0 = coreCosts('cortex-m0+', { opt: 'O2', libc: 'c-byte-loop' });
    expect(m0.cost('rl.sendMaster')).toBe(339); // (231 − 21 − 3 = 207) × 1.64 = 339.48
    // A byte loop on ARMv6-M: 5 + 5 × 16 = 85, minus 16 byte stores = 69 → 113.16.
    expect(m0.memcpy(16, { sharedAccesses: 16 })).toBe(113);
    expect(plus(cycles(3), cycles(4))).toBe(7);
  });

  test('a libc decides the shape of a copy\'s shared accesses', () => {
    expect(copyAccesses('words', 7, true)).toEqual({ wordBytes: 4, singles: [{ offset: 4, size: 2 }, { offset: 6, size: 1 }] });
    expect(copyAccesses('words-when-aligned-16', 4, true)).toEqual({ wordBytes: 0, singles: [0, 1, 2, 3].map((offset) => ({ offset, size: 1 })) });
    expect(copyAccesses('words-when-aligned-16', 17, true)).toEqual({ wordBytes: 16, singles: [{ offset: 16, size: 1 }] });
    expect(copyAccesses('words-when-aligned', 8, false).singles).toHaveLength(8);
    expect(copyAccesses('bytes', 3, true).wordBytes).toBe(0);
    expect(LIBC_MODELS.picolibc['armv6-m'].shape).toBe('bytes');
    expect(LIBC_MODELS['newlib-nano']['armv8-m.main'].shape).toBe('words');
    // memset, measured under qemu-arm: picolibc's default build on ARMv6-M is 5 + 5·n.
    const pico = coreCosts('cortex-m0+', { libc: 'picolibc' });
    expect([pico.entry('libc.memsetBase').value, pico.entry('libc.memsetPerByte').value]).toEqual([5, 5]);
  });

  test('describe starts with the build, then every entry with its value, unit and source', () => {
    const lines = coreCosts('cortex-m4', { opt: 'O2' }).describe();
    expect(lines[0]).toBe(`build: cortex-m4/gcc-12.2.1-O2 (armv7e-m, -O2), libc newlib-nano: -O2 chosen for this core; newlib-nano by default, ${SDK_DEFAULTS.source}`);
    expect(lines[1]).toBe(
      'cyclesPerInstruction = 1.4 cycles/instruction: Cortex-M4 TRM DDI 0439 Table 3-1 timings over the instruction mix of COSTS §2 (see firmware/costs/registry.ts)',
    );
    expect(lines[2]).toBe(
      'rl.sendMaster = 149 instructions (cortex-m4/gcc-12.2.1-O2): cortex-m4 -O2, COSTS §7: 166 lib-only ("send m→r P=4") − 14 shared accesses (7 L / 7 S: vrings §5, header §5) − 3 dsb = 149',
    );
    expect(lines.find((l) => l.startsWith('rtos.contextSwitch ='))).toBe(
      'rtos.contextSwitch = 84 cycles: FreeRTOS FAQ "Memory Usage, Boot Times & Context Switch Times" (freertos.org FAQMem): 84 cycles, Cortex-M3 port, Keil, optimised for speed, configUSE_PORT_OPTIMISED_TASK_SELECTION 1, interrupt entry excluded [P]; the same Thumb-2 PendSV handler and C code run on the M4/M7/M33, no FPU context saved (Assumption)',
    );
    expect(lines.find((l) => l.startsWith('zephyr.contextSwitch ='))).toBe(
      'zephyr.contextSwitch = 52 cycles: arch/arm/core/cortex_m/swap_helper.S z_arm_pendsv, Armv7-M/Armv8-M mainline path (stmia/ldmia of r4-r11 and PSP, BASEPRI_MAX, isb): 22 insn counted from the source, Cortex-M4 TRM DDI 0439B Table 3-1 timings, P = 1',
    );
    // the build line, then 1 + 22 + 5 + 3 + 7 + 7 + 2 + 3 + 27 entries
    expect(lines).toHaveLength(1 + 77);
  });
});

describe('the zephyr section', () => {
  test('every core type has all 27 entries in cycles with a source; measured ones differ by ISA, the A53 is marked', () => {
    for (const [type, costs] of Object.entries(CORE_TYPE_COSTS)) {
      const entries = Object.entries(costs.zephyr);
      expect([type, entries.length]).toEqual([type, 27]);
      for (const [name, e] of entries) {
        expect([type, name, e.unit, Number.isInteger(e.value) && e.value > 0, e.source.length > 40]).toEqual([type, name, 'cycles', true, true]);
        if (type === 'cortex-a53') expect(e.source.startsWith('Assumption: the Cortex-M4 figure')).toBe(true);
      }
    }
    // The measured k_sem_take fast path: 16 Thumb-1 instructions on the M0+ (28 cycles: its
    // loads and MRS PRIMASK cost more), 14 Thumb-2 on the M4 (19 cycles).
    const m0 = coreCosts('cortex-m0+');
    const m4 = coreCosts('cortex-m4');
    expect([m0.cost('zephyr.semTake'), m4.cost('zephyr.semTake'), coreCosts('cortex-m33').cost('zephyr.semTake')]).toEqual([28, 19, 19]);
    expect(m0.entry('zephyr.semTake').source).toBe(
      'kernel/sem.c z_impl_k_sem_take, count > 0: 16 insn, Cortex-M0+ TRM DDI 0484C timings (tools/measure/zephyr-paths.py: arm-none-eabi-gcc 12.2 -Os, qemu-arm executed instructions)',
    );
    expect(coreCosts('cortex-m7').entry('zephyr.semTake').source).toContain('Assumption: no timing table for this core');
    expect([m0.cost('zephyr.contextSwitch'), m4.cost('zephyr.contextSwitch')]).toEqual([71, 52]);
  });
});

describe('overrides', () => {
  test('an overridden entry says so, with what the table says', () => {
    const table = coreCosts('cortex-m4', { opt: 'O2', overrides: { 'rl.sendMaster': 100, cyclesPerInstruction: 2 } });
    expect(table.cost('rl.sendMaster')).toBe(200);
    expect(table.cost('rl.sendRemote')).toBe(286); // 143 × 2: the other entries keep their counts
    expect(table.entry('rl.sendMaster')).toEqual({
      value: 100,
      unit: 'instructions',
      source:
        'override (the table says 149 instructions: cortex-m4 -O2, COSTS §7: 166 lib-only ("send m→r P=4") − 14 shared accesses (7 L / 7 S: vrings §5, header §5) − 3 dsb = 149)',
    });
    expect(coreCosts('cortex-m4', { opt: 'O2' }).cost('rl.sendMaster')).toBe(209); // the registry is untouched
  });

  test('create_ept after overrides: exact cycles, each charge rounded on its own', () => {
    // Master only (the remote never starts, so nothing interrupts it). With 1.25 cycles per
    // instruction, create_ept 502 and 3 per list node: the first endpoint on an empty list is
    // lock 0 + 502 × 1.25 = 627.5 → 628 + unlock 0; the second (RL_ADDR_ANY) probes address 1
    // (taken) and 2, walking the one-endpoint list twice: 628 + 6 × 1.25 = 7.5 → 8, so 636.
    // The code runs from ITCM: zero-wait, so fetching it adds nothing.
    const sys = buildRpmsgSystem('imxrt1170', {
      overrides: { 'cores.cm7.placement.code': 'itcm' },
      costs: { master: { cyclesPerInstruction: 1.25, 'rl.createEpt': 502, 'rl.endpointListNode': 3, 'env.lockMutex': 0, 'env.unlockMutex': 0 } },
    });
    const spent: number[] = [];
    startPrograms(sys, {
      master: (ctx) =>
        (function* (): Firmware<void> {
          const rl = (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
          for (let i = 0; i < 2; i++) {
            const before = ctx.kernel.now;
            yield* rl.createEpt(RL_ADDR_ANY, function* () {
              return RL_RELEASE;
            });
            spent.push((ctx.kernel.now - before) / ctx.core.clock.period);
          }
        })(),
    });
    sys.kernel.run();
    expect(spent).toEqual([628, 636]);
  });

  test('an unknown path names the nearest valid paths', () => {
    const error = thrown(() => buildRpmsgSystem('imxrt1170', { costs: { master: { 'rl.sendMastr': 100 } } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('costs of cm7 (master): rl.sendMastr: no such cost; nearest valid paths: rl.sendMaster, rl.sendRemote, rl.releaseMaster');
  });

  test('a bad value, a fraction of a cycle, an unknown role or basis', () => {
    // As a caller without types (a scenario file's map) may pass it.
    const fromJavaScript: Record<string, Record<string, number>> = { slave: {} };
    const cases: [() => unknown, string][] = [
      [() => coreCosts('cortex-m4', { overrides: { 'port.notify': -1 } }), 'costs of cortex-m4: port.notify: -1 is not a count (a finite number of 0 or more instructions)'],
      [() => coreCosts('cortex-m4', { overrides: { cyclesPerInstruction: Infinity } }), 'costs of cortex-m4: cyclesPerInstruction: Infinity is not a count (a finite number of 0 or more cycles/instruction)'],
      [() => coreCosts('cortex-m4', { overrides: { 'rtos.contextSwitch': 84.5 } }), 'costs of cortex-m4: rtos.contextSwitch: 84.5 is not a whole number of cycles'],
      [() => buildRpmsgSystem('imxrt1170', { costs: fromJavaScript }), 'costs: unknown role "slave"; the roles are master, remote'],
      [() => coreCosts('cortex-m4', { opt: 'O1' }), 'costs of cortex-m4: unknown optimisation level "O1"; the levels are O2, O3, Os'],
      [() => coreCosts('cortex-m4', { libc: 'glibc' }), 'costs of cortex-m4: unknown libc "glibc"; the libcs are newlib, newlib-nano, picolibc, picolibc-release, c-word-loop, c-byte-loop'],
      [() => buildRpmsgSystem('imxrt1170', { builds: { slave: {} } as never }), 'builds: unknown role "slave"; the roles are master, remote'],
    ];
    for (const [fn, text] of cases) {
      const error = thrown(fn);
      expect([error instanceof ConfigError, error.message]).toEqual([true, text]);
    }
  });

  test('an RTOS override reaches the RTOS of that core only', () => {
    const sys = buildRpmsgSystem('lpc55s69', { environments: { master: 'rtos', remote: 'rtos' }, costs: { remote: { 'rtos.contextSwitch': 200 } } });
    expect((sys.remote.env as RtosEnv).rtos.costs.cost('rtos.contextSwitch')).toBe(200);
    expect((sys.master.env as RtosEnv).rtos.costs.cost('rtos.contextSwitch')).toBe(84);
  });
});

describe('a core build per core', () => {
  test("the system's builds option picks a core's -O level and libc; the other core keeps the defaults", () => {
    const sys = buildRpmsgSystem('lpc54114', { builds: { remote: { opt: 'O2', libc: 'picolibc' } } });
    expect([sys.remote.costs.basis, sys.remote.costs.libc, sys.remote.costs.libcModel.shape]).toEqual(['cortex-m0plus/gcc-12.2.1-O2', 'picolibc', 'bytes']);
    expect([sys.master.costs.basis, sys.master.costs.libc]).toEqual(['cortex-m4/gcc-12.2.1-Os', 'newlib-nano']);
    // picolibc's default memcpy on ARMv6-M: 5 + 6 × 8 = 53 instructions, minus 8 byte stores = 45 → × 1.64 = 73.8.
    expect(sys.remote.costs.memcpy(8, { sharedAccesses: 8 })).toBe(74);
  });

  test('code sizes: measured per build, the libc routines from the core\'s libc', () => {
    const m0 = coreCosts('cortex-m0+', { opt: 'Os', libc: 'picolibc', placement: { codeBase: 0x1000, privateLoadCycles: 0, privateStoreCycles: 0 } });
    // nm -S of the M0+ -Os objects: rpmsg_lite_send 274 bytes; picolibc's v6-m memcpy 18 bytes.
    expect(m0.layout!.functions.get('rpmsg_lite_send')!.bytes).toBe(274);
    expect(m0.layout!.functions.get('memcpy')!.bytes).toBe(18);
    // A static helper inlined at -O2 is laid out with 0 bytes, out of line at -Os (16 bytes on the M4).
    const at = (opt: string) => coreCosts('cortex-m4', { opt, placement: { codeBase: 0, privateLoadCycles: 0, privateStoreCycles: 0 } }).layout!.functions.get('rpmsg_lite_get_endpoint_from_addr')!.bytes;
    expect([at('O2'), at('Os')]).toEqual([0, 16]);
  });
});

describe('one table per core', () => {
  test('rpmsg-lite, the port and the environment of a core charge the same table object', () => {
    const sys = buildRpmsgSystem('imxrt1170', { environments: { remote: 'rtos' } });
    expect(sys.master.costs).not.toBe(sys.remote.costs);
    expect(sys.master.costs.coreType).toBe('cortex-m7');
    expect(sys.remote.costs.coreType).toBe('cortex-m4');
    expect((sys.master.port as CortexMPort).costs).toBe(sys.master.costs);
    expect((sys.master.env as BareMetalEnv).costs).toBe(sys.master.costs);
    expect((sys.remote.port as CortexMPort).costs).toBe(sys.remote.costs);
    expect((sys.remote.env as RtosEnv).rtos.costs).toBe(sys.remote.costs);
    const tables: unknown[] = [];
    startPrograms(sys, {
      master: (ctx) =>
        (function* (): Firmware<void> {
          expect(ctx.costs).toBe(sys.master.costs);
          const rl = (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
          tables.push(rl.costs);
        })(),
    });
    sys.kernel.run();
    expect(tables).toEqual([sys.master.costs]);
    expect(tables[0]).toBe(sys.master.costs);
  });
});

describe('charged work: code footprint and private-data waits', () => {
  test('send on the M4 from a placement: its functions laid out from the code base, its 63 loads and 36 stores waiting', () => {
    // COSTS §2 notes: send m→r does 70 loads / 43 stores, 7 / 7 of them shared: 63 and 36
    // private. At 3 cycles a load and 2 a store beyond zero wait: 63 × 3 + 36 × 2 = 261.
    const table = coreCosts('cortex-m4', { opt: 'O2', placement: { codeBase: 0x1000, privateLoadCycles: 3, privateStoreCycles: 2 } });
    const send = table.charge('rl.sendMaster');
    expect([send.cycles, send.dataStall]).toEqual([table.cost('rl.sendMaster'), 261]);
    // rpmsg_lite_rx_callback (118 bytes) is laid out first, at the code base; each function
    // starts on a 4-byte boundary: tx_callback (measured: 16 bytes at -O2) at 0x1000 + 120.
    const rx = table.charge('rl.rxRemoteRelease');
    const spans = new Map(table.layout!.functions);
    expect(spans.get('rpmsg_lite_rx_callback')).toEqual({ address: 0x1000, bytes: 118 });
    expect(spans.get('rpmsg_lite_tx_callback')).toEqual({ address: 0x1078, bytes: 16 });
    expect(rx.code!.spans[2]).toEqual({ address: 0x1000, bytes: 118 });
    // The same path is one object, charged again (the fetch unit keeps its lines per footprint).
    expect(table.charge('rl.sendMaster')).toBe(send);
    // Without a placement there is nothing to fetch and nothing to wait for.
    expect(coreCosts('cortex-m4', { opt: 'O2' }).charge('rl.sendMaster')).toEqual({ cycles: table.cost('rl.sendMaster'), code: null, dataStall: 0 });
  });
});
