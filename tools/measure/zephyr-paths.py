#!/usr/bin/env python3
"""Counts the instructions and estimates the cycles of each path of zephyr-paths.c per core.

Builds zephyr-paths.c (MEASURE_RUN) with harness.c for each -mcpu, runs it under
`qemu-arm -cpu max -singlestep -d exec,nochain` (every executed instruction logged), cuts the
log at the calls of mark(), keeps the instructions inside zephyr-paths.c's functions, and
weighs each with the core's instruction timing (taken/not-taken from the next PC):

  cortex-m0plus  Cortex-M0+ TRM (DDI 0484C) instruction timings: ALU 1, LDR/STR 2,
                 LDM/STM/PUSH/POP 1+N (POP with PC 3+N), B taken 2 / not taken 1, BL 3,
                 BX 2, MRS/MSR 3, ISB/DSB 3, CPS 1.
  cortex-m4      Cortex-M4 TRM (DDI 0439B) Table 3-1: ALU 1, LDR/STR 2 (neighbour pipelining
                 not credited), LDM/STM/PUSH/POP 1+N, branches taken 1+P with P = 1,
                 not taken 1, POP with PC 1+N+P, ISB 1+P, MRS/MSR 1, CPS 1, DSB 1.
  cortex-m7/m33  Assumption: the Cortex-M4 timings (neither TRM has a timing table; the M7
                 dual-issues, so these are upper bounds).

The mailbox register accesses of the driver paths are subtracted (the simulator times them
on its bus): `BUS_ACCESSES` below says how many each path makes; each is one LDR/STR.
Prints one line per path and core: instructions, cycles; with --by-function, also each path's
instructions per function (z_sched_wake, z_reschedule, arch_swap, ...) on each core.
Usage: python3 zephyr-paths.py [--by-function]   (needs arm-none-eabi-gcc and qemu-arm)
"""
import os, re, subprocess, sys, tempfile

PATHS = ['semTakeFast', 'semTakeBlock', 'semGive', 'semGiveWake', 'msgqPutIsr', 'msgqPutWakeIsr', 'msgqGet',
         'msgqGetBlock', 'eventPost', 'eventPostWakeIsr', 'eventWaitSet', 'eventWaitBlock', 'sleep', 'tick',
         'tickPerUnblock', 'isrWrapper', 'intExitSwitch', 'intExitNoSwitch', 'mcuxSend', 'mcuxIsr', 'imxSend', 'imxIsr',
         'platformNotify', 'envLockMutex', 'envUnlockMutex', 'envLockInIsr']
BUS_ACCESSES = {'mcuxSend': 1, 'mcuxIsr': 2, 'imxSend': 8, 'imxIsr': 10, 'platformNotify': 1}
CORES = ['cortex-m0plus', 'cortex-m4', 'cortex-m7', 'cortex-m33']
HERE = os.path.dirname(os.path.abspath(__file__))


def sh(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def regs_in(ops):
    m = re.search(r'\{([^}]*)\}', ops)
    if not m:
        return 0
    n = 0
    for part in m.group(1).split(','):
        part = part.strip()
        r = re.match(r'r(\d+)-r(\d+)', part)
        n += int(r.group(2)) - int(r.group(1)) + 1 if r else 1
    return n


def cycles_of(core, mn, ops, taken):
    m0 = core == 'cortex-m0plus'
    base = mn.split('.')[0]
    if base == 'mov' and ops.endswith(('r9', 'r10')):
        return 3 if m0 else 1  # stand-in for MRS
    if base == 'nop':
        return 3 if m0 else 1  # stand-in for MSR
    if base in ('isb', 'dsb', 'dmb'):
        return 3 if m0 else (2 if base == 'isb' else 1)
    if base in ('cpsid', 'cpsie'):
        return 1
    if base in ('push', 'stmia', 'stm', 'ldmia', 'ldm', 'stmdb', 'pop'):
        n = regs_in(ops)
        if base == 'pop' and 'pc' in ops:
            return 3 + n if m0 else 2 + n
        return 1 + n
    if base.startswith(('ldr', 'str')):
        return 2
    if base in ('bl', 'blx'):
        return 3 if (m0 and base == 'bl') else 2
    if base == 'bx':
        return 2
    if base in ('cbz', 'cbnz') or re.fullmatch(r'b(eq|ne|cs|cc|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?', base):
        return 2 if taken else 1
    return 1


def measure(core, tmp):
    cflags = ['-mcpu=' + core, '-mthumb', '-Os', '-ffixed-r9', '-ffixed-r10']
    po, ho, elf, log = (os.path.join(tmp, f'{n}-{core}') for n in ('p.o', 'h.o', 'elf', 'log'))
    sh('arm-none-eabi-gcc', *cflags, '-DMEASURE_RUN', '-c', os.path.join(HERE, 'zephyr-paths.c'), '-o', po)
    sh('arm-none-eabi-gcc', *cflags, '-fno-builtin', '-c', os.path.join(HERE, 'harness.c'), '-o', ho)
    sh('arm-none-eabi-gcc', '-mcpu=' + core, '-mthumb', '-nostdlib', '-static', '-Wl,-Ttext=0x10000,--no-warn-rwx-segments', '-e', '_start', po, ho, '-o', elf)
    sh('qemu-arm', '-cpu', 'max', '-singlestep', '-d', 'exec,nochain', '-D', log, elf)
    own = {l.split()[2] for l in sh('arm-none-eabi-nm', po).splitlines() if l.split()[1] in 'Tt'}
    ranges, mark, names = [], None, {}
    for l in sh('arm-none-eabi-nm', '-S', elf).splitlines():
        f = l.split()
        if len(f) == 4 and f[2] in 'Tt':
            a, s = int(f[0], 16), int(f[1], 16)
            if f[3] in own:
                ranges.append((a, a + s))
                names[(a, a + s)] = f[3]
            if f[3] == 'mark':
                mark = a
    insn = {}
    for l in sh('arm-none-eabi-objdump', '-d', elf).splitlines():
        m = re.match(r'\s*([0-9a-f]+):\s+(?:[0-9a-f]{4}\s?){1,2}\s+(\S+)\s*(.*)', l)
        if m:
            insn[int(m.group(1), 16)] = (m.group(2), m.group(3).split(';')[0].strip())
    pcs = [int(re.search(r'\[[0-9a-f]+/([0-9a-f]+)/', l).group(1), 16) for l in open(log) if l.startswith('Trace')]
    segments, cur = [], None
    for i, pc in enumerate(pcs):
        if pc == mark:
            if cur is None:
                cur = []
            else:
                segments.append(cur)
                cur = None
            continue
        if cur is not None and any(a <= pc < b for a, b in ranges):
            nxt = pcs[i + 1] if i + 1 < len(pcs) else None
            cur.append((pc, nxt))
    out = {}
    for name, seg in zip(PATHS, segments):
        n, c, per = 0, 0, {}
        for pc, nxt in seg:
            fn = next(v for (a, b), v in names.items() if a <= pc < b)
            per[fn] = per.get(fn, 0) + 1
            mn, ops = insn[pc]
            size = 2 if len(insn.get(pc, ('', ''))) and (pc + 2) in insn else 4
            taken = nxt is not None and nxt not in (pc + 2, pc + 4)
            n += 1
            c += cycles_of(core, mn, ops, taken)
        k = BUS_ACCESSES.get(name, 0)
        out[name] = (n - k, c - 2 * k, per)
    return out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        results = {core: measure(core, tmp) for core in CORES}
    for name in PATHS:
        print(f'{name:18}' + ''.join(f'  {core}: {results[core][name][0]:3} insn {results[core][name][1]:3} cyc' for core in CORES))
        if '--by-function' in sys.argv:
            for core in CORES:
                per = results[core][name][2]
                print(f'{"":18}  {core}: ' + ', '.join(f'{fn} {n}' for fn, n in per.items()))


if __name__ == '__main__':
    sys.exit(main())
