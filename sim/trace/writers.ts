// The trace writers by name and file extension: an explicit registry (the project registers by explicit lists, never by scanning), so
// `--trace FILE` picks a writer without any scanning. A new format is a new writer file and
// one entry here.
//
//   .jsonl  canonical JSON Lines (golden files, `diff`)
//   .vcd    Value Change Dump (GTKWave), and beside a VCD file its GTKWave save file (.gtkw)
//   .json   Chrome / Perfetto trace events (ui.perfetto.dev, chrome://tracing)
//   .txt    the text narrative
//   -       standard output: the text narrative (people read a terminal), unless a format
//           is given (e.g. `format: 'jsonl'` to pipe the canonical form into another tool)

import { ConfigError } from '../kernel';
import type { TraceHeaderInput } from './header';
import { JsonlWriter } from './jsonl';
import { STDOUT, type TraceOutput, type TraceWriter } from './output';
import { PerfettoWriter } from './perfetto';
import { type TextOptions, TextWriter } from './text';
import { gtkwPathOf } from './gtkw';
import { type MemoryReader, VcdWriter } from './vcd';

export type TraceFormat = 'jsonl' | 'vcd' | 'perfetto' | 'text';

export interface TraceFormatEntry {
  format: TraceFormat;
  /** File extensions, lower case, with the dot. */
  extensions: readonly string[];
  description: string;
  create(target: string | TraceOutput, header: TraceHeaderInput, options: WriterOptions): TraceWriter;
}

export const TRACE_FORMATS: readonly TraceFormatEntry[] = [
  {
    format: 'jsonl',
    extensions: ['.jsonl'],
    description: 'canonical JSON Lines',
    create: (target, header) => new JsonlWriter(target, header),
  },
  {
    format: 'vcd',
    extensions: ['.vcd'],
    description: 'Value Change Dump waveform',
    // a VCD file gets its save file beside it (out.vcd, out.gtkw: both or neither)
    create: (target, header, options) =>
      new VcdWriter(target, header, {
        ...(options.memory !== undefined && { memory: options.memory }),
        ...(typeof target === 'string' && target !== STDOUT && { saveFile: gtkwPathOf(target) }),
      }),
  },
  {
    format: 'perfetto',
    extensions: ['.json'],
    description: 'Chrome/Perfetto trace events',
    create: (target, header) => new PerfettoWriter(target, header),
  },
  {
    format: 'text',
    extensions: ['.txt'],
    description: 'text narrative',
    create: (target, header, options) => new TextWriter(target, header, options),
  },
];

export interface WriterOptions extends TextOptions {
  /** Overrides the choice by extension (and the text default of "-"). */
  format?: TraceFormat;
  /** The run's shared memory, for what a trace record does not carry (the VCD's vring indices after a burst). */
  memory?: MemoryReader;
}

/** The format a target asks for: by its extension, text for "-". */
export function formatOf(target: string): TraceFormat {
  if (target === STDOUT) return 'text';
  const lower = target.toLowerCase();
  for (const entry of TRACE_FORMATS) {
    if (entry.extensions.some((ext) => lower.endsWith(ext))) return entry.format;
  }
  const known = TRACE_FORMATS.map((e) => `${e.extensions.join(', ')} (${e.description})`).join(', ');
  throw new ConfigError(`cannot tell the trace format of "${target}" from its extension: use ${known}, or - (text on standard output)`);
}

/** A writer for `target` ("-" for standard output); the format comes from the extension unless given. */
export function createTraceWriter(target: string, header: TraceHeaderInput, options: WriterOptions = {}): TraceWriter {
  const format = options.format ?? formatOf(target);
  const entry = TRACE_FORMATS.find((e) => e.format === format);
  if (entry === undefined) throw new ConfigError(`unknown trace format "${format}": use ${TRACE_FORMATS.map((e) => e.format).join(', ')}`);
  return entry.create(target, header, options);
}
