// The JUnit XML report of `rpmsg-sim check --junit FILE`, for CI systems (Jenkins, GitLab,
// and the many tools that read Apache Ant's JUnit format).
//
// The file follows the strictest of the common schemas, the one for Apache Ant's JUnit
// task that Jenkins and GitLab documentation point to; tools/junit/junit.xsd restates its
// rules (with the reasons) and a test validates real reports against it with xmllint:
//   <testsuites>                       no attributes (the Ant schema declares none)
//     <testsuite id package name timestamp hostname tests failures errors skipped time>
//       <properties>…</properties>     required, may be empty
//       <testcase name classname time> with at most one <failure> or <error>
//       <system-out/> <system-err/>    required, after the test cases
// A case that ran and did not match (a golden difference, a failed expectation, a firmware
// error) is a <failure>; a case whose scenario is bad input (a YAML or schema error, located
// file:line:column) is an <error>. Both carry `type` (required by the schema), a one-line
// `message` and the full text.
//
// Wall time (each case's `time`, the suite's sum, the `timestamp`) and the host name are in
// this file only, never in a trace or a golden file. Everything else is stable: the same
// results give the same bytes but for those four values.

import { xmlAttribute, xmlText } from '../../sim/text/xml';

/** What became of one scenario. */
export interface JUnitCase {
  /** The scenario's name (its `name:`, else its file name without .yaml). */
  name: string;
  /** The scenario's folder name ("scenarios", "lessons", …). */
  classname: string;
  /** Wall time of the case, seconds. */
  seconds: number;
  /** It ran, and did not match: `type` says how. */
  failure?: JUnitProblem;
  /** It could not run: bad input. */
  error?: JUnitProblem;
  /** It was not run, and why. */
  skipped?: string;
}

export interface JUnitProblem {
  /** A word for the kind of problem (the schema's required `type`). */
  type: string;
  /** One line. */
  message: string;
  /** The whole text (several lines). */
  text: string;
}

export interface JUnitSuite {
  cases: readonly JUnitCase[];
  /** When the suite started (written in UTC, to the second, without a zone: the Ant schema's pattern allows none). */
  started: Date;
  /** The machine (the schema wants one; "localhost" when it cannot be told). */
  hostname: string;
}

/** `2026-12-02T13:33:19`: UTC to the second, no zone (the Ant schema's ISO8601_DATETIME_PATTERN). */
export function junitTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Whole milliseconds: each case's time is rounded once, and the suite's time is the sum of the rounded times (so the figures add up). */
function millis(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
}

function secondsText(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The report as a string (UTF-8 when written), ending with a newline. */
export function junitReport(suite: JUnitSuite): string {
  const { cases } = suite;
  const failures = cases.filter((c) => c.error === undefined && c.failure !== undefined).length;
  const errors = cases.filter((c) => c.error !== undefined).length;
  const skipped = cases.filter((c) => c.error === undefined && c.failure === undefined && c.skipped !== undefined).length;
  const total = cases.reduce((sum, c) => sum + millis(c.seconds), 0);
  const hostname = suite.hostname.trim() === '' ? 'localhost' : suite.hostname;
  const attributes = [
    ['id', '0'],
    ['package', 'rpmsg-sim'],
    ['name', 'rpmsg-sim check'],
    ['timestamp', junitTimestamp(suite.started)],
    ['hostname', hostname],
    ['tests', String(cases.length)],
    ['failures', String(failures)],
    ['errors', String(errors)],
    ['skipped', String(skipped)],
    ['time', secondsText(total)],
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite ${attributes.map(([k, v]) => `${k}="${xmlAttribute(v!)}"`).join(' ')}>`,
    '    <properties/>',
  ];
  for (const c of cases) {
    const open = `    <testcase name="${xmlAttribute(c.name)}" classname="${xmlAttribute(c.classname)}" time="${secondsText(millis(c.seconds))}"`;
    const problem = c.error !== undefined ? { element: 'error', ...c.error } : c.failure !== undefined ? { element: 'failure', ...c.failure } : undefined;
    if (problem === undefined) {
      lines.push(c.skipped === undefined ? `${open}/>` : `${open}>\n      <skipped message="${xmlAttribute(c.skipped)}"/>\n    </testcase>`);
      continue;
    }
    lines.push(`${open}>`);
    lines.push(`      <${problem.element} message="${xmlAttribute(problem.message)}" type="${xmlAttribute(problem.type)}">${xmlText(problem.text)}</${problem.element}>`);
    lines.push('    </testcase>');
  }
  lines.push('    <system-out/>', '    <system-err/>', '  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
