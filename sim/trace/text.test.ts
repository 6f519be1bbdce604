import { TINY_HEADER, TINY_RECORDS, describeTinyReturn, rec } from './fixtures';
import { StringOutput } from './output';
import { TextWriter, type TextOptions } from './text';
import type { TraceRecord } from './trace';

function textOf(options: TextOptions, records: TraceRecord[] = TINY_RECORDS): string {
  const out = new StringOutput();
  const w = new TextWriter(out, TINY_HEADER, options);
  for (const r of records) w.record(r);
  w.close();
  return out.text();
}

test('one line per meaningful record; bus traffic summarised per API call and ISR', () => {
  expect(textOf({ describeReturn: describeTinyReturn }).split('\n')).toEqual([
    'rpmsg-sim trace of "tiny" on imxrt1170: cm7 (master, 500 MHz) and cm4 (remote, 250 MHz)',
    '    0.000 µs  cm7       rpmsg_lite_send(…)',
    '    0.020 µs  cm7       message m2r#0 enqueued: 1 → 30, 64 B in buffer 0x202c04a0',
    '    0.032 µs  mu.b.irq  rises (IRQ 118 of cm4)',
    '    0.036 µs  cm4.nvic  IRQ 118 pending',
    '    0.036 µs  cm4       exception entry for IRQ 118',
    '    0.040 µs  cm7       rpmsg_lite_send → RL_SUCCESS  (2 bus accesses, 1 burst, 1 stall cycle)',
    '    0.040 µs  cm7       sleeps (WFI)',
    '    0.084 µs  cm4       ISR 118 enters (priority 2)',
    '    0.090 µs  mu.b.irq  falls (IRQ 118 of cm4)',
    '    0.120 µs  cm4       message m2r#0 delivered to ept 30 (64 B), 120 ns after its send, 30 cm4 cycles',
    '    0.140 µs  cm4       ISR 118 returns  (1 bus access)',
    '    0.168 µs  cm4       back in thread mode',
    '              cm7       in all: 2 bus accesses, 1 burst, 1 stall cycle',
    '              cm4       in all: 1 bus access',
    '',
  ]);
});

test('verbose: every bus access, named when it is a vring index or a mailbox register', () => {
  const lines = textOf({ describeReturn: describeTinyReturn, verbose: true }).split('\n');
  expect(lines.filter((l) => / (write\d+|burst) /.test(l))).toEqual([
    '    0.010 µs  cm7       burst write of 64 B at 0x202c04b0  ocram, 16 beats, 20 cycles',
    '    0.024 µs  cm7       write16 0x202c0072 ← 0x1  ocram (vring1 avail.idx), 8 cycles, 1 stalled',
    '    0.030 µs  cm7       write32 0x40c48024 ← 0x80000  mu.a (CR), 6 cycles',
    '    0.124 µs  cm4       write16 0x202c0082 ← 0x1  ocram (vring1 used.idx), 4 cycles',
  ]);
  expect(lines).toContain('    0.040 µs  cm7       rpmsg_lite_send → RL_SUCCESS');
});

test('without names for return codes the number is shown; faults, drops and lockups are spelled out', () => {
  const lines = textOf({}, [
    rec(1, 'cm7', 'rl-call', { fn: 'rpmsg_lite_send' }),
    rec(2, 'cm7', 'rl-return', { fn: 'rpmsg_lite_send', code: -5001 }),
    rec(3, 'cm4', 'rl-deliver', { dir: 'r2m', msg: 4, src: 1, dst: 99, len: 8, buffer: 0x100, ept: -1 }),
    rec(4, 'cm4', 'bus-fault', { op: 'read', address: 0xdead0000, size: 4, reason: 'unmapped' }),
    rec(5, 'cm4', 'lockup', { reason: 'unhandled bus fault' }),
    rec(6, 'cm4', 'irq-late-arrival', { line: 3, replaced: 118 }),
    rec(7, 'cm4', 'irq-entry', { line: 3, tailChained: true }),
    rec(8, 'cm4', 'exception-return', { resumes: 118 }),
    rec(9, 'cm4', 'rl-link-up', {}),
  ]).split('\n');
  expect(lines.slice(1, -1)).toEqual([
    '    0.001 µs  cm7       rpmsg_lite_send(…)',
    '    0.002 µs  cm7       rpmsg_lite_send → returned -5001',
    '    0.003 µs  cm4       message r2m#4 dropped: no endpoint 99 (8 B)',
    '    0.004 µs  cm4       BUS FAULT: read of 4 B at 0xdead0000: unmapped',
    '    0.005 µs  cm4       LOCKUP: unhandled bus fault',
    '    0.006 µs  cm4       IRQ 3 arrives late and takes the vector from IRQ 118',
    '    0.007 µs  cm4       exception entry for IRQ 3 (tail-chained)',
    '    0.008 µs  cm4       back in ISR 118',
    '    0.009 µs  cm4       link up',
  ]);
});

test('colours only when asked', () => {
  const escape = '\u001b[';
  expect(textOf({ color: false })).not.toContain(escape);
  const coloured = textOf({ color: true });
  expect(coloured).toContain(`${escape}36mcm7     ${escape}0m`); // the master in cyan
  expect(coloured).toContain(`${escape}35mcm4     ${escape}0m`);
});
