// Runs a scenario for `explain`: every record kept in memory (explain is for short teaching
// runs), each message's phases, and the layout from the scenario's configuration.

import type { Program } from '../firmware/program';
import { runScenario } from '../scenario-engine/run';
import type { MessageBreakdown } from '../scenario-engine/phases';
import type { Role, Scenario } from '../scenario-engine/types';
import { type TraceHeader, canonicalHeader } from '../sim/trace/header';
import type { TraceRecord } from '../sim/trace/trace';
import type { ExplainInput } from './explain';
import { layoutOfScenario } from './system-layout';

/** Records of a run in memory, copied (an emitter may reuse its record object). */
class RecordCollector {
  readonly records: TraceRecord[] = [];
  record(r: TraceRecord): void {
    this.records.push({ ...r });
  }
}

export interface ExplainRun extends ExplainInput {
  ok: boolean;
}

/** Runs the scenario and gathers what `explain` needs. */
export function runForExplain(scenario: Scenario, modules: Partial<Record<Role, Program>> = {}): ExplainRun {
  const collector = new RecordCollector();
  const messages: MessageBreakdown[] = [];
  let header: TraceHeader | null = null;
  const summary = runScenario(scenario, {
    modules,
    sinks: (h) => {
      header = canonicalHeader(h);
      return [collector];
    },
    onMessagePhases: (b) => messages.push({ ...b, boundaries: [...b.boundaries], phases: [...b.phases] }),
  });
  const { layout } = layoutOfScenario(scenario);
  return { header: header!, records: collector.records, layout: { ...layout, mailboxes: header!.mailboxes }, messages, ok: summary.ok };
}
