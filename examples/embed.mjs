// Embedding the simulator in a program of your own (docs/api.md): the package entry
// `rpmsg-sim`. Run it where rpmsg-sim is installed (`npm install rpmsg-sim`), or in a
// checkout after `npm run build`:
//
//   node examples/embed.mjs [trace-file]
//
// It lists the platforms, runs NXP's ping-pong demo (a scenario given as an object) on each
// and prints the median one-way latency, then runs echo.yaml (firmware of your own,
// echo-firmware.ts) and, when a file name is given, writes that run's trace (.jsonl, .vcd,
// .json or .txt, by the extension). The exit code is 0 when every run met its expectations.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPlatforms, parseScenario, run, runFile } from 'rpmsg-sim';

const here = dirname(fileURLToPath(import.meta.url));
let ok = true;

for (const platform of listPlatforms()) {
  // The same keys as a scenario file's (docs/scenario-format.md).
  const loaded = parseScenario({
    name: `ping-pong-${platform.name}`,
    platform: platform.name,
    master: { app: 'ping-pong', params: { count: 10, 'payload-size': '32B' } },
    remote: { app: 'ping-pong' },
    stop: { time: '10ms' },
    expect: { messages: { 'master-to-remote': 10 } },
  });
  if (loaded.scenario === undefined) {
    process.stderr.write(loaded.report); // file:line:column of each mistake
    process.exit(2);
  }
  const summary = await run(loaded.scenario);
  const p50 = summary.latency.oneWay.masterToRemote.ns.p50;
  console.log(`${platform.name.padEnd(10)} ${summary.ok ? 'ok  ' : 'FAIL'} master→remote p50 ${p50.toFixed(1)} ns  (${platform.title})`);
  ok &&= summary.ok;
}

// A scenario file whose firmware is a module of your own; `trace` writes the run's trace.
const trace = process.argv[2];
const echo = await runFile(join(here, 'echo.yaml'), trace === undefined ? {} : { trace });
console.log(`echo: ${echo.messages.masterToRemote.delivered} sent, ${echo.messages.remoteToMaster.delivered} echoed, stopped (${echo.stopReason})${trace === undefined ? '' : `, trace in ${trace}`}`);
ok &&= echo.ok;

process.exitCode = ok ? 0 : 1;
