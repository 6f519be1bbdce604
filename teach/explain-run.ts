// Runs a scenario for `explain`: every record kept in memory (explain is for short teaching
// runs), each message's phases, the layout from the scenario's configuration, and the values
// burst writes left in the vring fields (read from the shared memory as each burst's record
// is delivered: the record has no data).

import type { Program } from '../firmware/program';
import { runScenario } from '../scenario-engine/run';
import type { MessageBreakdown } from '../scenario-engine/phases';
import type { Role, Scenario } from '../scenario-engine/types';
import { type TraceHeader, canonicalHeader } from '../sim/trace/header';
import type { TraceRecord } from '../sim/trace/trace';
import { ticksToDecimal, trimZeros } from '../sim/trace/tick-format';
import { ConfigError } from '../sim/kernel';
import type { MemoryReader } from '../sim/trace/vcd';
import type { ExplainInput } from './explain';
import { type BurstValues, burstFieldReader } from './fields';
import { layoutOfScenario } from './system-layout';

/** Records explain keeps at most (about a thousand ping-pong round trips; some 250 MB with the text). */
export const EXPLAIN_RECORD_LIMIT = 100_000;

/**
 * Records of a run in memory, copied (an emitter may reuse its record object), up to tick
 * `until`; more than `limit` of them is a ConfigError (the user asked for too much). Beside
 * them, by record number, the vring fields each burst write covers as memory holds them.
 */
class RecordCollector {
  readonly records: TraceRecord[] = [];
  readonly bursts: BurstValues = {};
  constructor(
    private readonly burstValues: ReturnType<typeof burstFieldReader>,
    private readonly memory: MemoryReader,
    private readonly until: number,
    private readonly limit: number,
    private readonly at: (t: number) => string,
  ) {}
  record(r: TraceRecord): void {
    if (r.t > this.until) return;
    if (this.records.length >= this.limit) {
      throw new ConfigError(`explain keeps the records of a run in memory, at most ${this.limit} of them, and this run has more by ${this.at(r.t)}: give --to to explain less (or a shorter scenario)`);
    }
    const values = this.burstValues(r, this.memory);
    if (values !== null) this.bursts[this.records.length] = values;
    this.records.push({ ...r });
  }
}

export interface ExplainRunOptions {
  /** Keep no record after this tick (the header gives the tick rate: a function of it). */
  until?: (header: TraceHeader) => number;
  /** At most this many records (default EXPLAIN_RECORD_LIMIT). */
  limit?: number;
}

export interface ExplainRun extends ExplainInput {
  ok: boolean;
}

/** Runs the scenario and gathers what `explain` needs. */
export function runForExplain(scenario: Scenario, modules: Partial<Record<Role, Program>> = {}, options: ExplainRunOptions = {}): ExplainRun {
  let collector: RecordCollector | null = null;
  const messages: MessageBreakdown[] = [];
  let header: TraceHeader | null = null;
  // Every record kind: a scenario's `trace: {kinds}` says what its golden trace keeps, not what explain shows.
  const { trace: _goldenKinds, ...everything } = scenario;
  const { layout } = layoutOfScenario(scenario);
  const burstValues = burstFieldReader(layout);
  const summary = runScenario(everything, {
    modules,
    sinks: (h, memory) => {
      const hh = canonicalHeader(h);
      header = hh;
      const at = (t: number) => `${trimZeros(ticksToDecimal(t, hh.tickHz, 6, 6))} µs`;
      collector = new RecordCollector(burstValues, memory, options.until?.(hh) ?? Number.MAX_SAFE_INTEGER, options.limit ?? EXPLAIN_RECORD_LIMIT, at);
      return [collector];
    },
    onMessagePhases: (b) => messages.push({ ...b, boundaries: [...b.boundaries], phases: [...b.phases] }),
  });
  return { header: header!, records: collector!.records, bursts: collector!.bursts, layout: { ...layout, mailboxes: header!.mailboxes }, messages, ok: summary.ok };
}
