// The peer kernels side by side (`npm run bench -- kernel --anchors DIR`): runs DIR/run, the
// SystemC and SimPy versions of the kernel workloads kept outside the project, and reads its
// lines `<kernel> <workload> events=N seconds=S events_per_s=X`. The project never needs
// them: without --anchors nothing here runs.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BenchError } from './e2e';

export interface AnchorResult {
  kernel: string;
  workload: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

const LINE = /^(\S+) (\S+) events=(\d+) seconds=(\S+) events_per_s=(\S+)$/;

/** The anchor lines of a run script's output (other lines are ignored). */
export function parseAnchorOutput(text: string): AnchorResult[] {
  const out: AnchorResult[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (m === null) continue;
    out.push({ kernel: m[1]!, workload: m[2]!, events: Number(m[3]), seconds: Number(m[4]), eventsPerSecond: Number(m[5]) });
  }
  return out;
}

/** Runs DIR/run with the same workload sizes as the kernel suite (SystemC's; the SimPy sizes are the script's own). */
export function runAnchors(dir: string, pingpong: number, timers: number): AnchorResult[] {
  const script = join(dir, 'run');
  const result = spawnSync(script, [String(pingpong), String(timers)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined) throw new BenchError(`cannot run the anchors' ${script}: ${result.error.message}`);
  if (result.status !== 0) throw new BenchError(`the anchors' ${script} failed (exit ${result.status ?? result.signal}):\n${result.stderr.trim()}`);
  const parsed = parseAnchorOutput(result.stdout);
  if (parsed.length === 0) throw new BenchError(`the anchors' ${script} printed no result line:\n${result.stdout}`);
  return parsed;
}
