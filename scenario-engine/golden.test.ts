import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readScenarioFile } from './files';
import { goldenDifferences, goldenPaths, summaryJson, traceAndSummary } from './golden';
import type { RunSummary } from './run';
import type { Scenario } from './types';

// One run of ping-pong, compared with golden files broken in each way of issue 12 (class 5):
// each is a difference that says the golden is unreadable, where, and how to regenerate it.
describe('a corrupted golden is a located difference, never an exception', () => {
  let dir: string;
  let scenario: Scenario;
  let run: { trace: string; summary: RunSummary };
  let paths: { trace: string; summary: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-golden-'));
    copyFileSync(join('scenarios', 'ping-pong.yaml'), join(dir, 'ping-pong.yaml'));
    scenario = readScenarioFile(join(dir, 'ping-pong.yaml')).scenario!;
    run = await traceAndSummary(scenario);
    paths = goldenPaths(scenario);
    mkdirSync(join(dir, 'golden'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const regenerate = () => `; regenerate it with rpmsg-sim check --update ${scenario.file}`;
  const withGolden = (trace: string, summary = summaryJson(run.summary)): string[] => {
    writeFileSync(paths.trace, trace);
    writeFileSync(paths.summary, summary);
    return goldenDifferences(scenario, run.trace, run.summary);
  };

  test('intact: no difference', () => {
    expect(withGolden(run.trace)).toEqual([]);
  });

  test('empty trace', () => {
    expect(withGolden('')).toEqual([`the golden trace is unreadable: ${paths.trace}:1: empty file: expected the trace header${regenerate()}`]);
  });

  test('truncated last line: its line, and the column where the JSON ends', () => {
    const cut = run.trace.slice(0, run.trace.length - 30);
    const lines = cut.split('\n');
    const last = lines[lines.length - 1]!;
    expect(withGolden(cut)).toEqual([`the golden trace is unreadable: ${paths.trace}:${lines.length}:${last.length + 1}: not valid JSON: ${last.length <= 60 ? last : `${last.slice(0, 57)}...`}${regenerate()}`]);
  });

  test('one bad line among good ones', () => {
    const lines = run.trace.split('\n');
    lines[2] = '{"t":0,"component":"cm7","kind":"nap"}';
    expect(withGolden(lines.join('\n'))).toEqual([`the golden trace is unreadable: ${paths.trace}:3: unknown record kind "nap"${regenerate()}`]);
  });

  test('a wrong header', () => {
    const text = run.trace.replace('"version":1', '"version":7');
    expect(withGolden(text)).toEqual([`the golden trace is unreadable: ${paths.trace}:1: bad trace header: version: this reader knows version 1, got 7${regenerate()}`]);
  });

  test('a summary that is not JSON, and one that is not a summary', () => {
    expect(withGolden(run.trace, '{"scenario": "ping-pong",\n  "platform": 1,}\n')).toEqual([
      `the golden summary is unreadable: ${paths.summary}:2:17: not valid JSON (Expected double-quoted property name)${regenerate()}`,
    ]);
    // V8 names no position for an unexpected token: the file alone, the message on one line.
    expect(withGolden(run.trace, '{"scenario": "ping-pong",\n  "platform": }\n')).toEqual([
      `the golden summary is unreadable: ${paths.summary}: not valid JSON (Unexpected token '}', ..."latform": }\\n" is not valid JSON)${regenerate()}`,
    ]);
    expect(withGolden(run.trace, '[1, 2]\n')).toEqual([
      `the golden summary is unreadable: ${paths.summary}: not a run summary: expected a JSON object with "scenario", "stopReason" and the other fields rpmsg-sim writes${regenerate()}`,
    ]);
  });

  test('a golden that is a directory', () => {
    rmSync(paths.trace);
    mkdirSync(paths.trace);
    writeFileSync(paths.summary, summaryJson(run.summary));
    expect(goldenDifferences(scenario, run.trace, run.summary)).toEqual([`the golden trace is unreadable: ${paths.trace}: cannot read the golden trace: it is a directory, not a file${regenerate()}`]);
    rmSync(paths.trace, { recursive: true });
  });
});
