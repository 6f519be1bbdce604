// The JUnit report of `check --junit`: its exact bytes for hand-made results, real reports
// (with a scenario that is bad input among them) valid against tools/junit/junit.xsd with
// xmllint, and checked by the schema's rules here too; the report whole when a scenario is
// bad, nothing left when the report's own path cannot be written.
//
// xmllint comes from Debian's libxml2-utils, which .ci/run installs: in CI (the CI variable
// set) a missing xmllint fails the test; elsewhere the rules below are checked without it.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { formatBytes } from '../../sim/text/quantity';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JUnitCase, junitReport, junitTimestamp } from './junit';
import { xmlAttribute, xmlText } from '../../sim/text/xml';

const root = join(__dirname, '..', '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
const schema = join(root, 'tools', 'junit', 'junit.xsd');
let dir = '';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args, '--no-color'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;

/** xmllint's verdict on a file against the schema: "" when valid, else its messages. */
function schemaErrors(file: string): string {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr.replaceAll(`${file}:`, 'FILE:');
}

/** One element of the report as the rules below see it. */
interface Element {
  name: string;
  attributes: Map<string, string>;
  children: Element[];
  text: string;
}

/** A reader for the subset of XML the report uses (declaration, elements, attributes, text, the five entities and character references); throws on anything else. */
function parseXml(xml: string): Element {
  const decode = (s: string) =>
    s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!,
    );
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')) throw new Error('no XML declaration');
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)) throw new Error('a character XML 1.0 does not allow');
  const stack: Element[] = [{ name: '#document', attributes: new Map(), children: [], text: '' }];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  tag.lastIndex = xml.indexOf('\n') + 1;
  while (tag.lastIndex < xml.length) {
    const m = tag.exec(xml);
    if (m === null) throw new Error(`not well-formed at offset ${tag.lastIndex}`);
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      if (/&(?!(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);)/i.test(m[5])) throw new Error('a bare &');
      top.text += decode(m[5]);
    } else if (m[1] === '/') {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes = new Map<string, string>();
      for (const a of m[3]!.matchAll(/([\w.-]+)="([^"]*)"/g)) {
        if (attributes.has(a[1]!)) throw new Error(`attribute ${a[1]} twice`);
        // attribute-value normalisation: literal white space becomes a space, references stay
        attributes.set(a[1]!, decode(a[2]!.replace(/[\t\n\r]/g, ' ')));
      }
      const element: Element = { name: m[2]!, attributes, children: [], text: '' };
      top.children.push(element);
      if (m[4] !== '/') stack.push(element);
    }
  }
  if (stack.length !== 1 || stack[0]!.children.length !== 1 || stack[0]!.text.trim() !== '') throw new Error('not one root element');
  return stack[0]!.children[0]!;
}

/** The rules of tools/junit/junit.xsd (the Ant JUnit schema's), as problems found; [] when the report keeps them all. */
function ruleProblems(xml: string): string[] {
  const problems: string[] = [];
  const int = /^[+-]?[0-9]+$/;
  const decimal = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
  const token = (v: string) => v.replace(/[\t\n\r ]+/g, ' ').trim();
  const need = (e: Element, name: string, test: (v: string) => boolean, what: string) => {
    const v = e.attributes.get(name);
    if (v === undefined) problems.push(`<${e.name}> has no ${name}`);
    else if (!test(v)) problems.push(`<${e.name} ${name}="${v}">: expected ${what}`);
  };
  const only = (e: Element, names: string[]) => {
    for (const k of e.attributes.keys()) if (!names.includes(k)) problems.push(`<${e.name}> may not have ${k}`);
  };
  const noText = (e: Element) => {
    if (e.text.trim() !== '') problems.push(`<${e.name}> holds text`);
  };
  let rootElement: Element;
  try {
    rootElement = parseXml(xml);
  } catch (error) {
    return [(error as Error).message];
  }
  if (rootElement.name !== 'testsuites') return [`the root is <${rootElement.name}>`];
  only(rootElement, []);
  noText(rootElement);
  rootElement.children.forEach((suite, index) => {
    if (suite.name !== 'testsuite') problems.push(`<testsuites> holds <${suite.name}>`);
    only(suite, ['id', 'package', 'name', 'timestamp', 'hostname', 'tests', 'failures', 'errors', 'skipped', 'time']);
    noText(suite);
    need(suite, 'id', (v) => int.test(v) && Number(v) === index, `${index}`);
    need(suite, 'package', () => true, 'a token');
    need(suite, 'name', (v) => token(v) !== '', 'a non-empty token');
    need(suite, 'hostname', (v) => token(v) !== '', 'a non-empty token');
    need(suite, 'timestamp', (v) => /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}Z`)), 'a date and time to the second, no zone');
    for (const n of ['tests', 'failures', 'errors']) need(suite, n, (v) => int.test(v), 'an integer');
    if (suite.attributes.has('skipped')) need(suite, 'skipped', (v) => int.test(v), 'an integer');
    need(suite, 'time', (v) => decimal.test(v), 'a decimal');
    const names = suite.children.map((c) => c.name);
    const cases = names.slice(1, -2);
    if (names[0] !== 'properties' || names.at(-2) !== 'system-out' || names.at(-1) !== 'system-err' || cases.some((n) => n !== 'testcase')) {
      problems.push(`<testsuite> holds ${names.join(', ')}: expected properties, testcase…, system-out, system-err`);
    }
    for (const p of suite.children[0]?.children ?? []) {
      if (p.name !== 'property') problems.push(`<properties> holds <${p.name}>`);
      need(p, 'name', (v) => token(v) !== '', 'a non-empty token');
      need(p, 'value', () => true, 'a string');
    }
    for (const c of suite.children.filter((e) => e.name === 'testcase')) {
      only(c, ['name', 'classname', 'time']);
      noText(c);
      need(c, 'name', () => true, 'a token');
      need(c, 'classname', () => true, 'a token');
      need(c, 'time', (v) => decimal.test(v), 'a decimal');
      if (c.children.length > 1) problems.push(`<testcase name="${c.attributes.get('name')}"> holds ${c.children.length} elements: at most one of skipped, error, failure`);
      for (const p of c.children) {
        if (!['skipped', 'error', 'failure'].includes(p.name)) problems.push(`<testcase> holds <${p.name}>`);
        if (p.name === 'skipped') continue;
        only(p, ['type', 'message']);
        if (p.children.length > 0) problems.push(`<${p.name}> holds elements`);
        need(p, 'type', () => true, 'a string');
      }
    }
    const count = (test: (c: Element) => boolean) => String(suite.children.filter((c) => c.name === 'testcase' && test(c)).length);
    if (suite.attributes.get('tests') !== count(() => true)) problems.push(`tests="${suite.attributes.get('tests')}" but ${count(() => true)} test cases`);
    if (suite.attributes.get('failures') !== count((c) => c.children[0]?.name === 'failure')) problems.push('failures does not count the failures');
    if (suite.attributes.get('errors') !== count((c) => c.children[0]?.name === 'error')) problems.push('errors does not count the errors');
    if (suite.attributes.get('skipped') !== count((c) => c.children[0]?.name === 'skipped')) problems.push('skipped does not count the skipped cases');
  });
  return problems;
}

/** The report is valid: by the rules above, and by xmllint against the schema (which CI must have). */
function expectValid(file: string): void {
  expect(ruleProblems(readFileSync(file, 'utf8'))).toEqual([]);
  requireXmllintInCi();
  if (xmllint) expect(schemaErrors(file)).toBe('');
}

/** In CI (the CI variable set, as CI services and .ci/run set it) xmllint must be there: its absence fails, it does not skip. */
function requireXmllintInCi(): void {
  const ci = process.env.CI;
  if (!xmllint && ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') {
    throw new Error('xmllint is missing (Debian: apt-get install libxml2-utils; .ci/run installs it): CI must validate the JUnit report against tools/junit/junit.xsd');
  }
}

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-junit-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STARTED = new Date(Date.UTC(2026, 11, 2, 13, 33, 19, 987));

describe('the report of hand-made results', () => {
  const cases: JUnitCase[] = [
    { name: 'ping-pong', classname: 'scenarios', seconds: 0.1234 },
    { name: 'a<b & "c"', classname: 'lessons', seconds: 0.0005, failure: { type: 'golden', message: 'trace differs at record 3', text: 'trace differs at record 3\nsummary: p50 1 → 2' } },
    { name: 'broken', classname: 'scenarios', seconds: 0.002, error: { type: 'bad-input', message: 's.yaml:2:7: unknown key "x\ty"', text: 's.yaml:2:7: unknown key\r\n  2 | \u0001x: 1\n    |  ^' } },
    { name: 'later', classname: 'scenarios', seconds: 0, skipped: 'not run: --update' },
  ];
  const expected = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    '  <testsuite id="0" package="rpmsg-sim" name="rpmsg-sim check" timestamp="2026-12-02T13:33:19" hostname="ci-7" tests="4" failures="1" errors="1" skipped="1" time="0.126">',
    '    <properties/>',
    '    <testcase name="ping-pong" classname="scenarios" time="0.123"/>',
    '    <testcase name="a&lt;b &amp; &quot;c&quot;" classname="lessons" time="0.001">',
    '      <failure message="trace differs at record 3" type="golden">trace differs at record 3\nsummary: p50 1 → 2</failure>',
    '    </testcase>',
    '    <testcase name="broken" classname="scenarios" time="0.002">',
    '      <error message="s.yaml:2:7: unknown key &quot;x&#9;y&quot;" type="bad-input">s.yaml:2:7: unknown key&#13;\n  2 | \\u0001x: 1\n    |  ^</error>',
    '    </testcase>',
    '    <testcase name="later" classname="scenarios" time="0.000">',
    '      <skipped message="not run: --update"/>',
    '    </testcase>',
    '    <system-out/>',
    '    <system-err/>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');

  test('exact bytes: counts, times in ms (the suite time is the sum of the cases as written), timestamp in UTC to the second, escapes', () => {
    expect(junitReport({ cases, started: STARTED, hostname: 'ci-7' })).toBe(expected);
  });

  test('valid by the rules and by xmllint; the rules read back each name and message as given', () => {
    const file = join(dir, 'hand-made.xml');
    writeFileSync(file, expected);
    expectValid(file);
    const suite = parseXml(expected).children[0]!;
    expect(suite.children.filter((c) => c.name === 'testcase').map((c) => c.attributes.get('name'))).toEqual(['ping-pong', 'a<b & "c"', 'broken', 'later']);
    expect(suite.children[3]!.children[0]!.attributes.get('message')).toBe('s.yaml:2:7: unknown key "x\ty"');
    expect(suite.children[3]!.children[0]!.text).toBe('s.yaml:2:7: unknown key\r\n  2 | \\u0001x: 1\n    |  ^');
  });

  test('no results: an empty suite, still valid; an empty host name is localhost', () => {
    const text = junitReport({ cases: [], started: STARTED, hostname: ' ' });
    expect(text).toContain(' hostname="localhost" tests="0" failures="0" errors="0" skipped="0" time="0.000">\n    <properties/>\n    <system-out/>\n');
    const file = join(dir, 'empty.xml');
    writeFileSync(file, text);
    expectValid(file);
  });

  test('characters XML cannot hold become \\uXXXX; markup, quotes, tab, CR and LF are escaped where they would change', () => {
    expect(xmlText('a\u0000b\u001fc\ud800d\uffffe\t\n')).toBe('a\\u0000b\\u001fc\\ud800d\\uffffe\t\n');
    expect(xmlText('😀 <&>')).toBe('😀 &lt;&amp;&gt;');
    expect(xmlAttribute('"\t\n\r\'')).toBe('&quot;&#9;&#10;&#13;\'');
    expect(xmlAttribute('\udc00x')).toBe('\\udc00x');
    expect(junitTimestamp(new Date(Date.UTC(2027, 0, 1, 0, 0, 0, 999)))).toBe('2027-01-01T00:00:00');
  });

  test('the schema and the rules have teeth: the old report (no errors, time, timestamp, hostname) and a timestamp with a zone are refused', () => {
    const oldText = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="rpmsg-sim check" tests="1" failures="0">\n  <testsuite name="scenarios" tests="1" failures="0">\n    <testcase classname="scenarios" name="x" time="0.010"/>\n  </testsuite>\n</testsuites>\n';
    expect(ruleProblems(oldText)).toEqual([
      '<testsuites> may not have name',
      '<testsuites> may not have tests',
      '<testsuites> may not have failures',
      '<testsuite> has no id',
      '<testsuite> has no package',
      '<testsuite> has no hostname',
      '<testsuite> has no timestamp',
      '<testsuite> has no errors',
      '<testsuite> has no time',
      '<testsuite> holds testcase: expected properties, testcase…, system-out, system-err',
      'errors does not count the errors',
      'skipped does not count the skipped cases',
    ]);
    const zonedText = expected.replace('13:33:19"', '13:33:19Z"');
    expect(ruleProblems(zonedText)).toEqual(['<testsuite timestamp="2026-12-02T13:33:19Z">: expected a date and time to the second, no zone']);
    requireXmllintInCi();
    if (!xmllint) return;
    const old = join(dir, 'old.xml');
    writeFileSync(old, oldText);
    expect(schemaErrors(old)).toContain("Element 'testsuites', attribute 'name': The attribute 'name' is not allowed.");
    expect(schemaErrors(old)).toContain("Element 'testsuite': The attribute 'errors' is required but missing.");
    const zoned = join(dir, 'zoned.xml');
    writeFileSync(zoned, zonedText);
    expect(schemaErrors(zoned)).toContain("attribute 'timestamp': [facet 'pattern'] The value '2026-12-02T13:33:19Z' is not accepted by the pattern");
  });
});

describe('reports of real runs', () => {
  const BAD = 'name: broken <one>\nplatform: imxrt1170\nmaster: {app: ping-pong, params: {count: 2, payload-size: 4}}\nremote: {app: ping-pong}\nstop: {time: 1ms}\nfaults: 3\n';

  test('check of two scenarios: both cases pass, valid report', () => {
    const report = join(dir, 'ok.xml');
    const r = cli('check', join(root, 'scenarios', 'ping-pong.yaml'), join(root, 'scenarios', 'late-remote.yaml'), '--junit', report);
    expect([r.status, r.stdout]).toEqual([0, 'ok ping-pong\nok late-remote\n']);
    // the report's size depends on the host's name and the times
    expect(r.stderr).toBe(`wrote ${report} (${formatBytes(statSync(report).size)})\n`);
    expectValid(report);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/^ {4}<testcase name="ping-pong" classname="scenarios" time="\d+\.\d{3}"\/>$/m);
    expect(text).toMatch(/ tests="2" failures="0" errors="0" skipped="0" time="\d+\.\d{3}">/);
  });

  test('one scenario with bad input among three: an error case with the located message, the others run, exit 2, the report whole and valid', () => {
    writeFileSync(join(dir, 'bad.yaml'), BAD);
    const report = join(dir, 'mixed.xml');
    const r = cli('check', join(root, 'scenarios', 'ping-pong.yaml'), 'bad.yaml', join(root, 'scenarios', 'late-remote.yaml'), '--junit', report);
    const located = 'bad.yaml:6:9: expected a list of faults, got 3';
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`ok ping-pong\nERROR broken <one>\n  ${located}\nok late-remote\n`);
    expect(r.stderr).toMatch(new RegExp(`^${located.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[^]*\\nrpmsg-sim: error: 1 of 3 scenarios have errors \\(see above\\)\\n$`));
    expectValid(report);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/ tests="3" failures="0" errors="1" skipped="0" /);
    expect(text).toContain(`    <testcase name="broken &lt;one&gt;" classname="${dir.split('/').pop()}" time="`);
    expect(text).toContain(`      <error message="${located}" type="bad-input">${located}\n  6 | faults: 3\n`);
    expect(text.endsWith('</error>\n    </testcase>\n    <testcase name="late-remote" classname="scenarios" time="' + text.split('name="late-remote" classname="scenarios" time="')[1]!.split('"')[0] + '"/>\n    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('bad input found as a scenario runs (a module that does not compile) is an error case too; the next scenario runs', () => {
    const folder = join(dir, 'module');
    mkdirSync(folder);
    writeFileSync(join(folder, 'm.js'), 'export function* master( {\n');
    writeFileSync(join(folder, 'mod.yaml'), 'platform: lpc55s69\nmaster: {module: ./m.js}\nremote: {module: ./m.js}\nstop: {time: 1ms}\n');
    const r = spawnSync(process.execPath, [launcher, 'check', 'mod.yaml', join(root, 'scenarios', 'late-remote.yaml'), '--junit', 'r.xml', '--no-color'], { cwd: folder, encoding: 'utf8' });
    const located = 'mod.yaml:2:18: m.js:2:1: Expected identifier but found end of file';
    const size = statSync(join(folder, 'r.xml')).size;
    expect([r.status, r.stdout, r.stderr]).toEqual([2, `ERROR mod\n  ${located}\nok late-remote\n`, `rpmsg-sim: error: ${located}\nwrote r.xml (${formatBytes(size)})\nrpmsg-sim: error: 1 of 2 scenarios have errors (see above)\n`]);
    expectValid(join(folder, 'r.xml'));
    expect(readFileSync(join(folder, 'r.xml'), 'utf8')).toContain(`<error message="${located}" type="bad-input">${located}</error>`);
  });

  test('an internal error (exit 70) ends the check, and the report is still written: that case an internal error, the rest skipped', () => {
    const report = join(dir, 'internal.xml');
    const model = join(root, 'bin', 'fixtures', 'run-errors-modelError.yaml');
    const r = cli('check', join(root, 'scenarios', 'ping-pong.yaml'), model, join(root, 'scenarios', 'late-remote.yaml'), '--junit', report);
    expect(r.status).toBe(70);
    expect(r.stdout).toBe('ok ping-pong\n');
    expect(r.stderr.startsWith(`wrote ${report} (${formatBytes(statSync(report).size)})\nrpmsg-sim: internal error: InternalError: the simulation of `)).toBe(true);
    expectValid(report);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/ tests="3" failures="0" errors="1" skipped="1" /);
    expect(text).toMatch(/<testcase name="run-errors-modelError" classname="fixtures" time="\d+\.\d{3}">\n {6}<error message="the simulation of [^"]*run-errors-modelError\.yaml failed inside rpmsg-sim \(process &quot;core0&quot; at 28980\.000 ns, tick 86940\): TypeError: Cannot read properties of null \(reading 'addr'\) \(a bug of rpmsg-sim, not of the scenario\)" type="internal">/);
    expect(text).toContain('<testcase name="late-remote" classname="scenarios" time="0.000">\n      <skipped message="not run: an internal error of rpmsg-sim ended the check"/>');
  });

  test('--update with a bad scenario writes no golden: the others are skipped, and the report says so', () => {
    const folder = join(dir, 'update');
    mkdirSync(folder);
    writeFileSync(join(folder, 'bad.yaml'), BAD);
    writeFileSync(join(folder, 'good.yaml'), readFileSync(join(root, 'scenarios', 'late-remote.yaml')));
    const r = cli('check', join(folder, 'good.yaml'), join(folder, 'bad.yaml'), '--update', '--junit', join(folder, 'r.xml'));
    expect([r.status, r.stdout]).toEqual([2, `SKIP late-remote\nERROR broken <one>\n  ${join(folder, 'bad.yaml')}:6:9: expected a list of faults, got 3\n`]);
    expect(readdirSync(folder).sort()).toEqual(['bad.yaml', 'good.yaml', 'r.xml']);
    expectValid(join(folder, 'r.xml'));
    expect(readFileSync(join(folder, 'r.xml'), 'utf8')).toContain('<skipped message="not run: --update writes no golden file while a scenario has errors"/>');
  });

  test('a failing case (a firmware error) is a failure with its type, valid', () => {
    const report = join(dir, 'fail.xml');
    const r = cli('check', join(root, 'bin', 'fixtures', 'firmware-misuse.yaml'), '--junit', report);
    expect(r.status).toBe(1);
    expectValid(report);
    expect(readFileSync(report, 'utf8')).toMatch(/<failure message="firmware error: core core0: env_lock_mutex called from an interrupt handler \(process &quot;core0&quot; at 666\.667 ns, tick 2000\)\. [^"]*" type="firmware">/);
  });

  test('a report path that cannot be written: exit 2 before any run, with a bad scenario too; nothing left behind', () => {
    const folder = join(dir, 'unwritable');
    mkdirSync(folder);
    writeFileSync(join(folder, 'bad.yaml'), BAD);
    mkdirSync(join(folder, 'report.xml'));
    const r = cli('check', join(root, 'scenarios', 'ping-pong.yaml'), join(folder, 'bad.yaml'), '--junit', join(folder, 'report.xml'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').at(-2)).toBe(`rpmsg-sim: error: cannot write the JUnit report "${join(folder, 'report.xml')}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)`);
    expect(readdirSync(folder).sort()).toEqual(['bad.yaml', 'report.xml']);
    expect(readdirSync(join(folder, 'report.xml'))).toEqual([]);
  });
});
