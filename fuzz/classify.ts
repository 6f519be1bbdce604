// The verdict on one case's outcome: which of the suite's properties it broke, if any.
//
//   internal       exit 70, or an exit code the CLI does not document (bin/cli.ts, docs/reliability.md)
//   crash          the in-process run threw out of main() or killed its thread (uncaught error,
//                  out of memory, process.exit)
//   stack-trace    a stack frame ("    at f (file.js:1:2)") in stdout or stderr, whatever the exit code
//   hang           no exit within the case's deadline
//   memory         the child's resident memory passed the cap (unbounded growth)
//   debris         a file left that the command may not leave: a temporary (*.tmp*), or a file
//                  that is neither an input nor a declared output; on bad input (exit 2) no new
//                  output at all but a declared report (check --junit's, which lists the bad
//                  scenario as an error case)
//   unlocated      an exit-2 message that names no place: no FILE:LINE:COLUMN of an input with
//                  lines, no command-line option or argument
//   engine-error   a JavaScript engine error (TypeError, RangeError, …) reported as a failed run
//                  (exit 1) rather than as a bug of rpmsg-sim (issue 12, class 9)
//   signal         a child process died of the signal the case sent (SIGINT/SIGTERM not handled:
//                  no exit code, temporaries not removed)
//   polluted       Object.prototype or Array.prototype gained a property (in-process only)
// and, from the pool (fuzz/pool.ts):
//   mode-mismatch  a case cross-checked as a child process passes in one mode and fails in the other
//   validate-gap   `validate` accepts a file (exit 0) that `run` refuses as bad input (exit 2)


import { relative } from 'node:path';

export const EXIT_CODES = new Set([0, 1, 2, 74, 130, 143]);

export interface Outcome {
  /** The exit code; null when the run did not end (hang) or died of a signal. */
  exit: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** What escaped main() (in-process), or how the thread died. */
  crash?: string;
  memoryExceeded?: boolean;
  polluted?: string;
  /** Paths in the case folder afterwards (relative; folders end with /). */
  after: string[];
  /** Paths in the case folder before the run. */
  before: string[];
  /** Paths left in the run's own temporary folder (TMPDIR: compiled modules and the like), or in the working folder of in-process runs. */
  tmpLeft: string[];
  seconds: number;
}

export interface Verdict {
  /** Failure classes, in the order above; empty: the case passed. */
  failures: string[];
  /** One line per failure, for the table and the reproducers. */
  details: string[];
}

export interface CaseFacts {
  argv: readonly string[];
  /** Input files with lines (absolute). */
  inputs: readonly string[];
  /** Declared outputs (relative to the case folder). */
  outputs: readonly string[];
  /** Declared outputs that may be written on bad input (exit 2) as well: check's JUnit report. */
  reports?: readonly string[];
  /** The case folder (absolute), to tell command-line paths. */
  caseDir: string;
}

/** A stack frame as V8 prints it: "    at name (file:line:col)" or "    at file:line:col". */
const STACK_FRAME = /^\s+at (?:.+ \()?(?:[a-z]+:)?[^\s()]*(?::\d+){1,2}\)?$|^\s+at (?:new )?[\w$.<>]+ \((?:native|<anonymous>)\)$/m;

/** Engine errors: what JavaScript itself throws when code goes wrong. */
const ENGINE_ERROR = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|URIError|EvalError)\b|Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|Maximum call stack|Invalid array length|Invalid typed array length|Array buffer allocation failed/;

const TEMPORARY = /\.tmp|tmp-\d+|\.\d+\.tmp/i;

/** The command-line words that locate an exit-2 message when it names no file's line. */
function commandLineWords(argv: readonly string[]): string[] {
  const words = new Set<string>();
  for (const a of argv) {
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0]!.split('.')[0]!;
      if (name !== '') words.add(`--${name}`);
    } else if (a.startsWith('-') && a.length > 1) words.add(a);
  }
  return [...words];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Why an exit-2 message is not located, or undefined when it is. */
export function unlocated(stderr: string, facts: CaseFacts): string | undefined {
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, '');
  if (text.trim() === '') return 'exit 2 with nothing on stderr';
  // FILE:LINE:COLUMN of an input with lines (or FILE:LINE for a JSON Lines trace)
  for (const file of facts.inputs) {
    if (new RegExp(`${escape(file)}:\\d+(?::\\d+)?\\b`).test(text)) return undefined;
  }
  // a command-line option or positional argument, by name
  const words = commandLineWords(facts.argv);
  for (const w of words) {
    if (new RegExp(`(^|[\\s"'(\`])${escape(w)}\\b`).test(text)) return undefined;
  }
  // a command's own argument, quoted after the command's name (`platforms "x": unknown platform`)
  const command = facts.argv[0];
  if (command !== undefined && facts.argv.slice(1).some((a) => !a.startsWith('-') && text.includes(`${command} ${JSON.stringify(a)}`))) return undefined;
  if (/^rpmsg-sim: error: (Unknown arguments?|Unknown command|No command given|Not enough non-option arguments|Too many non-option arguments|Missing required argument|Not enough arguments following|Not enough arguments|Arguments? .* mutually exclusive|Invalid values?:)/m.test(text)) return undefined;
  // a path from the command line that is not an input with lines (a missing file, a folder,
  // a device, an output target): naming it is enough
  const named = facts.argv.filter((a) => !a.startsWith('-') && a.includes('/') && text.includes(a));
  const inputs = new Set(facts.inputs);
  if (named.some((a) => !inputs.has(a))) return undefined;
  const input = [...named, ...facts.inputs].find((f) => text.includes(f));
  if (input !== undefined) return `names ${input.replace(facts.caseDir, '@CASE@')} but no line:column in it`;
  return 'names no file, line, column or command-line argument';
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
}

export function classify(o: Outcome, facts: CaseFacts): Verdict {
  const failures: string[] = [];
  const details: string[] = [];
  const add = (cls: string, detail: string) => {
    if (!failures.includes(cls)) {
      failures.push(cls);
      details.push(`${cls}: ${detail.replaceAll(facts.caseDir, '@CASE@')}`);
    }
  };
  const both = `${o.stdout}\n${o.stderr}`;
  if (o.exit !== null && !EXIT_CODES.has(o.exit)) add('internal', `exit ${o.exit}: ${firstLine(o.stderr)}`);
  if (o.crash !== undefined) add('crash', o.crash.split('\n')[0]!.slice(0, 300));
  const frame = STACK_FRAME.exec(both);
  if (frame !== null) add('stack-trace', `${firstLine(o.stderr) || firstLine(o.stdout)} … ${frame[0].trim()}`);
  if (o.timedOut) add('hang', `no exit after ${o.seconds.toFixed(1)} s`);
  if (o.memoryExceeded === true) add('memory', 'resident memory passed the cap');
  // (a signal's default action is right while no output file exists: nothing to clean up,
  // docs/reliability.md "Exit codes"; a trace to standard output is no file)
  const fileOutputs = facts.outputs.some((p) => p !== '-' && p !== '');
  if (o.exit === null && !o.timedOut && o.crash === undefined && o.memoryExceeded !== true && fileOutputs) add('signal', `died of ${o.signal ?? 'a signal'} instead of exiting (no handler)`);
  if (!o.timedOut && o.memoryExceeded !== true) {
    const before = new Set(o.before);
    const outputs = facts.outputs.map((p) => p.replace(/\.[^./]*$/, ''));
    const temporaries = o.after.filter((p) => !before.has(p) && TEMPORARY.test(p));
    const strays = o.after.filter((p) => !before.has(p) && !TEMPORARY.test(p) && !p.endsWith('/') && !outputs.some((stem) => stem !== '' && p.startsWith(stem)));
    const leftInTmp = o.tmpLeft;
    if (temporaries.length > 0) add('debris', `temporary left: ${temporaries[0]}`);
    else if (leftInTmp.length > 0) add('debris', `left ${leftInTmp[0]!.startsWith('(working folder)') ? 'behind' : 'in TMPDIR'}: ${leftInTmp[0]}`);
    else if (strays.length > 0) add('debris', `unexpected file: ${strays[0]}`);
    else if (o.exit === 2) {
      const reports = new Set(facts.reports ?? []);
      const written = o.after.filter((p) => !before.has(p) && !p.endsWith('/') && !reports.has(p));
      if (written.length > 0) add('debris', `exit 2 but wrote ${written[0]}`);
    }
  }
  if (o.exit === 2) {
    const why = unlocated(o.stderr, facts);
    if (why !== undefined) add('unlocated', `${why}: ${firstLine(o.stderr)}`);
  }
  if (o.exit === 1 && ENGINE_ERROR.test(o.stderr)) {
    // a user's module may throw anything: its own errors name its file
    // (named as given, or relative to the case's folder, where the CLI runs: `m.ts:1:56`)
    const fromModule = facts.inputs.some((f) => /\.[cm]?[jt]s$/.test(f) && (o.stderr.includes(f) || new RegExp(`(^|[\\s(])${escape(relative(facts.caseDir, f))}:\\d+`).test(o.stderr)));
    if (!fromModule) add('engine-error', firstLine(o.stderr));
  }
  if (o.polluted !== undefined) add('polluted', o.polluted);
  return { failures, details };
}
