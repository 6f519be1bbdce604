// For the trace writers' tests on real runs (scenario-engine/trace-writers.test.ts): a traced
// ping-pong whose header is the one the scenario runner writes (trace-header.ts).

import { buildRpmsgSystem, startPrograms } from '../platforms/system';
import { pingPong } from '../firmware/apps/pingpong';
import type { TraceHeaderInput } from '../sim/trace/header';
import { traceHeaderOf } from './trace-header';
import { MemorySink, type TraceRecord, type TraceSink, Tracer } from '../sim/trace/trace';

/** Runs a ping-pong with `sinks` (made once the header is known) attached; returns the header and all records. */
export function tracedPingPong(
  options: { platform?: string; count?: number; payloadSize?: number; pin?: boolean; sinks?: (header: TraceHeaderInput) => TraceSink[] } = {},
): { header: TraceHeaderInput; records: TraceRecord[] } {
  const memory = new MemorySink();
  let tracer: Tracer | null = null;
  const sys = buildRpmsgSystem(options.platform ?? 'imxrt1170', {
    tracer: (k) => {
      tracer = new Tracer(k);
      tracer.addSink(memory);
      return tracer;
    },
  });
  const header = traceHeaderOf(sys, 'ping-pong');
  for (const sink of options.sinks?.(header) ?? []) tracer!.addSink(sink);
  startPrograms(sys, pingPong({ count: options.count ?? 5, payloadSize: options.payloadSize ?? 64, ...(options.pin === true && { pin: true }) }));
  sys.kernel.run();
  tracer!.close();
  return { header, records: memory.records };
}
