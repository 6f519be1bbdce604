// The embedding API (api.ts, the package entry `rpmsg-sim`) and how a firmware module's
// imports of the package's entries are bound to the running simulator (files.ts).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as firmwareApi from '../firmware/index';
import { RpmsgLite } from '../firmware/rpmsg-lite/rpmsg-lite';
import * as api from './api';
import * as apiByName from 'rpmsg-sim';
import * as firmwareByName from 'rpmsg-sim/firmware';
import { summaryJson, traceAndSummary } from './golden';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-api-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scenario running `module` (its text, written to a file of its own) on both cores. */
function moduleScenario(name: string, module: string) {
  writeFileSync(join(dir, `${name}.ts`), module);
  const loaded = api.parseScenario(
    `name: ${name}\nplatform: lpc55s69\nmaster: {module: ./${name}.ts}\nremote: {module: ./${name}.ts}\nstop: {time: 1ms}\n`,
    { file: join(dir, `${name}.yaml`) },
  );
  expect(loaded.report).toBe('');
  return loaded.scenario!;
}

const PROGRAMS = `
export function* master(ctx: ProgramContext): Firmware<void> {
  const rl = (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
  const ept = (yield* rl.createEpt(1, function* () { return RL_RELEASE; }))!;
  yield* ctx.core.exec(cycles(20_000));
  yield* rl.send(ept, 30, new Uint8Array(5), 5, RL_BLOCK);
}
export function* remote(ctx: ProgramContext): Firmware<void> {
  const rl = (yield* RpmsgLite.remoteInit(ctx, ctx.sharedMemory.base, ctx.linkId))!;
  yield* rl.createEpt(30, function* () { return RL_RELEASE; });
}
`;

test('in this repository the package names resolve to the source entries (jest moduleNameMapper, tsconfig paths)', () => {
  expect(firmwareByName.RpmsgLite).toBe(RpmsgLite);
  expect(Object.keys(firmwareByName).sort()).toEqual(Object.keys(firmwareApi).sort());
  expect(apiByName.run).toBe(api.run);
});

test("a module's import of rpmsg-sim/firmware is this simulator's own copy, not a second one bundled into it", async () => {
  const scenario = moduleScenario(
    'identity',
    `import { type Firmware, type ProgramContext, RL_BLOCK, RL_RELEASE, RpmsgLite, cycles } from 'rpmsg-sim/firmware';
import * as all from 'rpmsg-sim/firmware';
(globalThis as any).__rpmsgSimSeen = { RpmsgLite, keys: Object.keys(all) };
${PROGRAMS}`,
  );
  const summary = await api.run(scenario);
  const seen = (globalThis as { __rpmsgSimSeen?: { RpmsgLite: unknown; keys: string[] } }).__rpmsgSimSeen!;
  delete (globalThis as { __rpmsgSimSeen?: unknown }).__rpmsgSimSeen;
  expect(seen.RpmsgLite).toBe(RpmsgLite);
  expect([...seen.keys].sort()).toEqual(Object.keys(firmwareApi).sort());
  expect(summary.messages.masterToRemote).toEqual({ delivered: 1, bytes: 5, dropped: 0 });
});

test("a module's import of rpmsg-sim is this copy's embedding API", async () => {
  const scenario = moduleScenario(
    'embedding',
    `import { type Firmware, type ProgramContext, RL_BLOCK, RL_RELEASE, RpmsgLite, cycles } from 'rpmsg-sim/firmware';
import { listPlatforms } from 'rpmsg-sim';
(globalThis as any).__rpmsgSimSeen = listPlatforms;
${PROGRAMS}`,
  );
  await api.run(scenario);
  expect((globalThis as { __rpmsgSimSeen?: unknown }).__rpmsgSimSeen).toBe(api.listPlatforms);
  delete (globalThis as { __rpmsgSimSeen?: unknown }).__rpmsgSimSeen;
});

test('a name rpmsg-sim/firmware does not export is a build error located in the module', async () => {
  const scenario = moduleScenario('no-such-export', `import { RpmsgLite, rpmsg_lite_frobnicate } from 'rpmsg-sim/firmware';\nexport const master = [RpmsgLite, rpmsg_lite_frobnicate];\n`);
  const thrown = await api.run(scenario).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(api.ModuleError);
  // (esbuild names the module relative to the working folder)
  expect((thrown as Error).message).toBe(`${join(dir, 'no-such-export.yaml')}:3:18: ${relative(process.cwd(), join(dir, 'no-such-export.ts'))}:1:21: No matching export in "rpmsg-sim:rpmsg-sim/firmware" for import "rpmsg_lite_frobnicate"`);
});

test('run gives what `rpmsg-sim run --json` prints: the summary of the golden test', async () => {
  const file = join(__dirname, '..', 'scenarios', 'ping-pong.yaml');
  const loaded = api.readScenario(file);
  expect(loaded.errors).toEqual([]);
  const summary = await api.run(loaded.scenario!);
  expect(summaryJson(summary)).toBe(readFileSync(join(__dirname, '..', 'scenarios', 'golden', 'ping-pong.summary.json'), 'utf8'));
  expect(summaryJson(summary)).toBe(summaryJson((await traceAndSummary(loaded.scenario!)).summary));
});

test('a scenario object is checked as its JSON text: errors are located in it', () => {
  const loaded = api.parseScenario({ name: 'x', master: { app: 'ping-pong', params: { count: 0, 'payload-size': '4B' } }, remote: { app: 'ping-pong' }, stop: { time: '1ms' } }, { file: 'object.yaml' });
  expect(loaded.scenario).toBeUndefined();
  expect(loaded.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`)).toEqual(['object.yaml:6:16: expected a whole number, at least 1, got 0']);
  expect(loaded.report).toBe(api.formatErrors(loaded.errors));
  expect(loaded.report).toContain('6 |       "count": 0,\n');
});

test('--set overrides apply to a scenario object as to a file', () => {
  const loaded = api.parseScenario({ name: 'x', master: { app: 'ping-pong', params: { count: 3, 'payload-size': '4B' } }, remote: { app: 'ping-pong' }, stop: { time: '1ms' } }, { set: ['master.params.count=7'] });
  expect(loaded.report).toBe('');
  expect(loaded.scenario!.master.firmware).toEqual({ kind: 'app', app: 'ping-pong', params: { count: 7, payloadSize: 4 } });
});

test('runFile throws ScenarioErrors with the located report for a file with errors', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'name: bad\nmaster: {app: ping-pong}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n');
  const thrown = await api.runFile(file).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(api.ScenarioErrors);
  expect(thrown).toBeInstanceOf(api.ConfigError);
  expect((thrown as api.ScenarioErrors).errors.map((e) => `${e.line}:${e.column}: ${e.message}`)).toEqual(['2:15: ping-pong needs params: count, payload-size']);
  expect((thrown as Error).message).toBe(api.readScenario(file).report.trimEnd());
});

test('run writes the traces asked for, by extension, whole', async () => {
  const loaded = api.readScenario(join(__dirname, '..', 'scenarios', 'ping-pong.yaml'));
  const jsonl = join(dir, 'pp.jsonl');
  await api.run(loaded.scenario!, { trace: [jsonl, join(dir, 'pp.vcd')] });
  expect(readFileSync(jsonl, 'utf8')).toBe(readFileSync(join(__dirname, '..', 'scenarios', 'golden', 'ping-pong.jsonl'), 'utf8'));
  expect(readFileSync(join(dir, 'pp.vcd'), 'utf8').startsWith('$comment rpmsg-sim trace format 1: scenario "ping-pong" on imxrt1170 $end\n')).toBe(true);
  await expect(api.run(loaded.scenario!, { trace: join(dir, 'pp.nope') })).rejects.toThrow(/^cannot tell the trace format of ".*pp\.nope" from its extension/);
});

test('listPlatforms lists the registry, the default marked; describePlatform refuses an unknown name', () => {
  expect(api.listPlatforms().map((p) => `${p.name}${p.isDefault ? '*' : ''}`)).toEqual(['imxrt1170*', 'lpc55s69', 'imx8mm', 'lpc54114']);
  expect(api.describePlatform('lpc55s69')).toContain('LPC55S69');
  expect(() => api.describePlatform('nope')).toThrow('unknown platform "nope"; known platforms: imxrt1170, lpc55s69, imx8mm, lpc54114');
});
