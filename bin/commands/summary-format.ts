// The summary table `rpmsg-sim run` prints for people.

import chalk from 'chalk';
import type { RunSummary, StatSummary } from '../../scenario-engine/run';
import { formatNs } from '../../sim/text/quantity';
import { PHASE_LABELS, PHASE_PARTS, type PhaseRow } from '../../scenario-engine/phases';

const DIRS = [
  ['masterToRemote', 'master→remote'],
  ['remoteToMaster', 'remote→master'],
] as const;

function num(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '-';
  return v.toFixed(digits);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => indent + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
}

function latencyRows(title: string, stats: Record<'masterToRemote' | 'remoteToMaster', StatSummary>, cores: string[]): string[] {
  const rows: string[][] = [['', 'count', 'min', 'mean', 'p50', 'p99', 'max']];
  for (const [key, label] of DIRS) {
    const s = stats[key];
    if (s.count === 0) continue;
    rows.push([`${label} ns`, String(s.count), num(s.ns.min), num(s.ns.mean), num(s.ns.p50), num(s.ns.p99), num(s.ns.max)]);
    for (const core of cores) {
      const c = s.cycles[core]!;
      rows.push([`  ${core} cycles`, '', num(c.min, 0), num(c.mean, 0), num(c.p50, 0), num(c.p99, 0), num(c.max, 0)]);
    }
  }
  if (rows.length === 1) return [];
  const approximate = Object.values(stats).some((s) => !s.exact);
  return [chalk.bold(title), ...table(rows), ...(approximate ? ['  (over 100,000 messages: p50 and p99 from a histogram, within 0.1 %)'] : [])];
}

/** One phase: its core, the first message's and the mean cycles and ns, the mean cycles of each part. */
function phaseCells(label: string, r: PhaseRow): string[] {
  return [
    label,
    r.core,
    num(r.first?.cycles ?? NaN),
    num(r.first?.ns ?? NaN),
    num(r.mean?.cycles ?? NaN),
    num(r.mean?.ns ?? NaN),
    ...PHASE_PARTS.map((p) => num(r.parts?.mean?.[p.key] ?? NaN)),
  ];
}

const PHASE_HEADER = ['', 'core', 'first cyc', 'first ns', 'mean cyc', 'mean ns', ...PHASE_PARTS.map((p) => p.label)];

function phaseRows(s: RunSummary): string[] {
  const out: string[] = [];
  for (const [key, label] of DIRS) {
    const d = s.phases[key];
    if (d.messages === 0) continue;
    out.push(`  ${label}: ${d.messages} messages, ${d.complete} with every phase seen`);
    out.push(
      ...table(
        [
          PHASE_HEADER,
          ...d.phases.map((r) => phaseCells(PHASE_LABELS[r.phase] ?? r.phase, r)),
          ['= one-way latency', '', '', num(d.latencyNs.first ?? NaN), '', num(d.latencyNs.mean ?? NaN), ...PHASE_PARTS.map(() => '')],
          ...(d.callback.count > 0 ? [phaseCells('callback (after)', d.callback)] : []),
        ],
        '    ',
      ),
    );
  }
  const rt = s.phases.roundTrip;
  if (rt.count > 0) {
    const leg = { masterToRemote: 'm→r ', turnaround: 'remote: ', remoteToMaster: 'r→m ' } as const;
    out.push(`  round trip master→remote→master: ${rt.count}`);
    out.push(
      ...table(
        [
          PHASE_HEADER,
          ...rt.phases.map((r) => phaseCells(`${leg[r.leg]}${PHASE_LABELS[r.phase] ?? r.phase}`, r)),
          ['= round trip', '', '', num(rt.latencyNs.first ?? NaN), '', num(rt.latencyNs.mean ?? NaN), ...PHASE_PARTS.map(() => '')],
        ],
        '    ',
      ),
    );
  }
  if (out.length === 0) return [];
  return [chalk.bold('Where the time goes') + ' (cycles of the core each phase runs on; stall columns: mean cycles within it)', ...out];
}

export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(`${chalk.bold(s.scenario)} on ${chalk.bold(s.platform)}: stopped (${s.stopReason}) at ${formatNs(s.simulatedNs)} simulated`);
  lines.push('');
  const m = s.messages;
  lines.push(chalk.bold('Messages'));
  lines.push(
    ...table([
      ['', 'delivered', 'bytes', 'dropped'],
      ...DIRS.map(([key, label]) => [label, String(m[key].delivered), String(m[key].bytes), String(m[key].dropped)]),
    ]),
  );
  const cores = s.cores.map((c) => c.name);
  const lat = latencyRows('Latency: send call → receiver callback entry', s.latency.oneWay, cores);
  if (lat.length > 0) lines.push('', ...lat);
  const ret = latencyRows('Latency: send call → return', s.latency.sendReturn, cores);
  if (ret.length > 0) lines.push('', ...ret);
  for (const [name, iv] of Object.entries(s.pinIntervals ?? {})) {
    const rows: string[][] = [['', 'count', 'min', 'mean', 'p50', 'p99', 'max']];
    rows.push(['ns', String(iv.count), num(iv.ns.min), num(iv.ns.mean), num(iv.ns.p50), num(iv.ns.p99), num(iv.ns.max)]);
    for (const core of cores) {
      const c = iv.cycles[core]!;
      rows.push([`${core} cycles`, '', num(c.min, 0), num(c.mean, 0), num(c.p50, 0), num(c.p99, 0), num(c.max, 0)]);
    }
    lines.push('', chalk.bold(`Pin interval ${name}: ${iv.from} → ${iv.to}`), ...table(rows));
  }
  const phases = phaseRows(s);
  if (phases.length > 0) lines.push('', ...phases);
  lines.push('', `${chalk.bold('Throughput')}  ${num(s.throughput.messagesPerSecond, 0)} messages/s, ${num(s.throughput.bytesPerSecond, 0)} bytes/s (simulated time)`);
  lines.push('', chalk.bold('Cores'));
  lines.push(
    ...table([
      ['', 'clock', 'cycles', 'busy', 'in ISRs', 'bus stalls', 'asleep', 'IRQs', 'tail-chains'],
      ...s.cores.map((c) => [
        `${c.name} (${c.type})`,
        `${(c.clockHz / 1e6).toFixed(c.clockHz % 1e6 === 0 ? 0 : 3)} MHz`,
        String(c.cycles),
        pct(c.busy, c.cycles),
        pct(c.inHandlers, c.cycles),
        `${num(c.stalled, 0)} cyc`,
        pct(c.asleep, c.cycles),
        String(c.interrupts),
        String(c.tailChains),
      ]),
    ]),
  );
  for (const c of s.cores) if (c.lockup !== null) lines.push(chalk.red(`  ${c.name} locked up: ${c.lockup}`));
  lines.push('', chalk.bold('Bus'));
  for (const b of s.bus) {
    const beats = Object.entries(b.beats)
      .map(([core, n]) => `${core} ${n}`)
      .join(', ');
    lines.push(`  ${b.port}: ${(100 * b.utilisation).toFixed(2)}% busy (beats: ${beats})`);
  }
  const codes = Object.entries(s.codes);
  lines.push('', `${chalk.bold('rpmsg-lite return codes')}  ${codes.length === 0 ? '-' : codes.map(([n, c]) => `${n} ×${c}`).join(', ')}`);
  lines.push(`${chalk.bold('Link')}  master ${s.linkUp.master ? 'up' : 'down'}, remote ${s.linkUp.remote ? 'up' : 'down'}`);
  if (s.watchdog !== undefined) lines.push('', chalk.red(`The watchdog ended the run: ${s.watchdog}`));
  if (s.blocked.length > 0) {
    const title =
      s.stopReason === 'watchdog'
        ? 'What each core was doing:'
        : s.stopReason === 'tick-limit'
          ? 'Simulated time ran out (2^53 ticks); still waiting:'
          : s.stopReason === 'messages'
            ? 'At the message count; still at work or waiting:'
            : 'Nothing left to do; still waiting:';
    lines.push('', chalk.yellow(title));
    for (const b of s.blocked) lines.push(`  ${b}`);
  }
  if (s.expectations.length > 0) {
    lines.push('', chalk.bold('Expectations'));
    for (const e of s.expectations) {
      const mark = e.ok ? chalk.green('✓') : chalk.red('✗');
      lines.push(`  ${mark} ${e.what}: expected ${e.expected}, got ${e.actual}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
