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
import { CORE_TYPE_COSTS, INSTRUCTION_TABLES, M4_BASIS, coreCosts } from './registry';
import { CORTEX_M4_GCC12_O2 } from './cortex-m4-gcc12-o2';
import { type CostRegistry, buildCoreCosts, plus } from './table';

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
  test('every core type runs a known basis, and every entry has a unit and a source', () => {
    for (const [type, costs] of Object.entries(CORE_TYPE_COSTS)) {
      expect([type, Object.hasOwn(INSTRUCTION_TABLES, costs.defaultBasis)]).toEqual([type, true]);
      expect([type, Object.hasOwn(costs.cyclesPerInstruction, costs.defaultBasis)]).toEqual([type, true]);
    }
    const table = coreCosts('cortex-m4');
    expect(table.entries.size).toBe(1 + 22 + 5 + 3 + 3 + 7 + 27); // cpi, rl, port, env, libc, rtos, zephyr
    for (const [path, e] of table.entries) expect([path, e.source.length > 20, Number.isFinite(e.value)]).toEqual([path, true, true]);
  });

  test('instructions become cycles through the core type\'s cycles per instruction, rounded per charge', () => {
    const m4 = coreCosts('cortex-m4');
    expect(m4.basis).toBe(M4_BASIS);
    expect(m4.cost('rl.sendMaster')).toBe(209); // 149 × 1.4 = 208.6
    expect(m4.cost('rl.endpointListNode', 3)).toBe(25); // 18 × 1.4 = 25.2
    expect(m4.cost('port.notify')).toBe(20); // 14 × 1.4 = 19.6
    expect(m4.cost('env.lockMutex')).toBe(1); // 1.4
    expect(m4.cost('env.delayLoopIteration', 1000)).toBe(3000); // cycles already
    expect(m4.cost('rtos.contextSwitch')).toBe(84);
    expect(m4.remainder('rl.rxMasterRelease', 'rl.rxMasterHold')).toBe(42); // 192 − 150 (137 × 1.4 = 191.8, 107 × 1.4 = 149.8)
    // memcpy of 64 bytes: 14 + round(0.53 × 64) = 48, minus 16 word stores = 32 instructions = 44.8 cycles.
    expect(m4.memcpy(64)).toBe(45);
    // 7 bytes: 14 + 4 + 10 (tail) − 2 stores = 26 instructions = 36.4.
    expect(m4.memcpy(7)).toBe(36);
    const m7 = coreCosts('cortex-m7');
    expect(m7.cost('rl.sendMaster')).toBe(122); // 149 × 1.4 × 1.25 / 2.14 = 121.85
    expect(plus(cycles(3), cycles(4))).toBe(7);
  });

  test('another instruction basis is data: a table and its cycles per instruction, picked by name', () => {
    // As a later Cortex-M0+ -Os table would be added: the same shape, other counts.
    const m0Os = { ...CORTEX_M4_GCC12_O2, basis: 'test: an -Os build', rl: { ...CORTEX_M4_GCC12_O2.rl, sendMaster: { value: 160, unit: 'instructions', source: 'test' } } } as const;
    const registry: CostRegistry = {
      instructionTables: { ...INSTRUCTION_TABLES, 'cortex-m0+/gcc-12.2-Os': m0Os },
      coreTypes: {
        ...CORE_TYPE_COSTS,
        'cortex-m0+': {
          ...CORE_TYPE_COSTS['cortex-m0+'],
          cyclesPerInstruction: { ...CORE_TYPE_COSTS['cortex-m0+'].cyclesPerInstruction, 'cortex-m0+/gcc-12.2-Os': { value: 1.5, unit: 'cycles/instruction', source: 'test' } },
        },
      },
    };
    const table = buildCoreCosts(registry, 'cortex-m0+', { basis: 'cortex-m0+/gcc-12.2-Os' });
    expect([table.basis, table.cost('rl.sendMaster'), table.cost('rl.sendRemote')]).toEqual(['cortex-m0+/gcc-12.2-Os', 240, 215]); // 160 × 1.5; 143 × 1.5 = 214.5
    expect(buildCoreCosts(registry, 'cortex-m0+').basis).toBe(M4_BASIS); // the default is unchanged
    const error = thrown(() => buildCoreCosts(registry, 'cortex-m4', { basis: 'cortex-m0+/gcc-12.2-Os' }));
    expect([error instanceof ConfigError, error.message]).toEqual([true, 'costs of cortex-m4: cortex-m4 has no cycles per instruction for the basis "cortex-m0+/gcc-12.2-Os"']);
  });

  test('describe lists every entry with its value, unit and source', () => {
    const lines = coreCosts('cortex-m4').describe();
    expect(lines[0]).toBe(
      'cyclesPerInstruction = 1.4 cycles/instruction: Cortex-M4 TRM DDI 0439 Table 3-1 timings over the instruction mix of COSTS §2 (see firmware/costs/registry.ts)',
    );
    expect(lines[1]).toBe(
      `rl.sendMaster = 149 instructions (${M4_BASIS}): rpmsg_lite_send master→remote: 166 lib-only − 14 shared accesses (7 L / 7 S, COSTS §5) − 3 dsb`,
    );
    expect(lines.find((l) => l.startsWith('rtos.contextSwitch ='))).toBe(
      'rtos.contextSwitch = 84 cycles: FreeRTOS FAQ "Memory Usage, Boot Times & Context Switch Times" (freertos.org FAQMem): 84 cycles, Cortex-M3 port, Keil, optimised for speed, configUSE_PORT_OPTIMISED_TASK_SELECTION 1, interrupt entry excluded [P]; the same Thumb-2 PendSV handler and C code run on the M4/M7/M33, no FPU context saved (Assumption)',
    );
    expect(lines.find((l) => l.startsWith('zephyr.contextSwitch ='))).toBe(
      'zephyr.contextSwitch = 52 cycles: arch/arm/core/cortex_m/swap_helper.S z_arm_pendsv, Armv7-M/Armv8-M mainline path (stmia/ldmia of r4-r11 and PSP, BASEPRI_MAX, isb): 22 insn counted from the source, Cortex-M4 TRM DDI 0439B Table 3-1 timings, P = 1',
    );
    expect(lines).toHaveLength(68);
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
    const table = coreCosts('cortex-m4', { overrides: { 'rl.sendMaster': 100, cyclesPerInstruction: 2 } });
    expect(table.cost('rl.sendMaster')).toBe(200);
    expect(table.cost('rl.sendRemote')).toBe(286); // 143 × 2: the other entries keep their counts
    expect(table.entry('rl.sendMaster')).toEqual({
      value: 100,
      unit: 'instructions',
      source:
        'override (the table says 149 instructions: rpmsg_lite_send master→remote: 166 lib-only − 14 shared accesses (7 L / 7 S, COSTS §5) − 3 dsb)',
    });
    expect(coreCosts('cortex-m4').cost('rl.sendMaster')).toBe(209); // the registry is untouched
  });

  test('create_ept after overrides: exact cycles, each charge rounded on its own', () => {
    // Master only (the remote never starts, so nothing interrupts it). With 1.25 cycles per
    // instruction, create_ept 502 and 3 per list node: the first endpoint on an empty list is
    // lock 0 + 502 × 1.25 = 627.5 → 628 + unlock 0; the second (RL_ADDR_ANY) probes address 1
    // (taken) and 2, walking the one-endpoint list twice: 628 + 6 × 1.25 = 7.5 → 8, so 636.
    const sys = buildRpmsgSystem('imxrt1170', {
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
      [() => coreCosts('cortex-m4', { basis: 'cortex-m4/gcc-12.2-O3/newlib-3.3' }), `costs of cortex-m4: unknown instruction basis "cortex-m4/gcc-12.2-O3/newlib-3.3"; nearest: ${M4_BASIS}`],
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
