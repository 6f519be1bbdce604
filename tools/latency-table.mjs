// Regenerates the "Latency by configuration" tables of docs/timing-model.md: the ping-pong
// (20 round trips) on every platform, for 4-, 64- and 256-byte payloads, in each set-up a
// user asks about: the SDK's default placement on bare metal; code in flash or XIP where the
// platform's default does not already put it there; every core's code in zero-wait memory
// (TCM, SRAM) for comparison; both cores on Zephyr. Each cell is the warm mean over the run
// and, in brackets, the first (cold-cache) message or round trip.
//
// Usage: node tools/latency-table.mjs          (rewrites the document between its markers)
//        node tools/latency-table.mjs --print  (prints the tables only)

import { execFileSync } from 'node:child_process';
import { commitOf, writeBlock } from './doc-block.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BEGIN = '<!-- latency-table:begin (tools/latency-table.mjs writes what follows) -->';
const END = '<!-- latency-table:end -->';
const PAYLOADS = [4, 64, 256];

// Per platform: the set-ups, each a placement (none: the platform's default) and an environment.
const PLATFORMS = {
  imxrt1170: {
    setups: [
      { name: 'SDK default: CM7 XIP from QSPI NOR (I-cache), CM4 TCM', placement: null },
      { name: 'zero-wait: CM7 from ITCM, CM4 TCM', placement: { master: { code: 'itcm' } } },
      { name: 'both on Zephyr (SDK default placement)', placement: null, environment: 'zephyr' },
    ],
  },
  lpc55s69: {
    setups: [
      { name: 'SDK default: core0 flash, core1 SRAM3', placement: null },
      { name: 'both from flash (core1 flash build)', placement: { remote: { code: 'flash' } } },
      { name: 'zero-wait: core0 SRAMX, core1 SRAM3', placement: { master: { code: 'sramx' } } },
      { name: 'both on Zephyr (SDK default placement)', placement: null, environment: 'zephyr' },
    ],
  },
  imx8mm: {
    setups: [
      { name: 'SDK default: A53 DDR (L1 caches), M4 TCM', placement: null },
      { name: 'M4 from DDR (ddr build, LMEM cache)', placement: { remote: { code: 'ddr' } } },
    ],
  },
  lpc54114: {
    setups: [
      { name: 'SDK default: M4 flash, M0+ SRAM1', placement: null },
      { name: 'zero-wait: M4 SRAMX, M0+ SRAM1', placement: { master: { code: 'sramx' } } },
      { name: 'both on Zephyr (SDK default placement)', placement: null, environment: 'zephyr' },
    ],
  },
};

function scenarioText(platform, setup, payload) {
  const lines = [`name: latency-${platform}`, `platform: ${platform}`];
  if (setup.placement !== null) {
    lines.push('placement:');
    for (const [role, p] of Object.entries(setup.placement)) lines.push(`  ${role}: {${Object.entries(p).map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
  }
  const env = setup.environment === undefined ? [] : [`  environment: ${setup.environment}`];
  // The SDK's Zephyr remote waits 1 s before announcing (see the ping-pong app's announce-delay-ms).
  const delay = setup.environment === 'zephyr' ? ', announce-delay-ms: 1000' : '';
  lines.push('master:', ...env, '  app: ping-pong', `  params: {count: 20, payload-size: ${payload}B${delay}}`);
  lines.push('remote:', ...env, '  app: ping-pong');
  lines.push('stop:', '  time: 2s');
  return `${lines.join('\n')}\n`;
}

execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const cli = join(root, 'bin', 'rpmsg-sim');
const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-latency-'));
const ns = (v) => (v === null || v === undefined ? '-' : v.toFixed(1).replace(/\.0$/, ''));
const out = [];
try {
  for (const [platform, { setups }] of Object.entries(PLATFORMS)) {
    const rows = [];
    let head = null;
    for (const setup of setups) {
      for (const payload of PAYLOADS) {
        const file = join(dir, `${platform}.yaml`);
        writeFileSync(file, scenarioText(platform, setup, payload));
        const s = JSON.parse(execFileSync(process.execPath, [cli, 'run', file, '--json'], { cwd: root, encoding: 'utf8' }));
        head ??= `${platform}: ${s.cores.map((c) => `${c.name} (${c.type}, ${c.clockHz / 1e6} MHz)`).join(' + ')}`;
        const ow = s.latency.oneWay;
        const rt = s.phases.roundTrip.latencyNs;
        // The first remote→master message is the name-service announcement: the reply's cold figure is its own.
        const firstReply = s.phases.remoteToMaster.latencyNs.first;
        rows.push(
          `| ${setup.name} | ${payload} | ${ns(ow.masterToRemote.ns.p50)} (${ns(ow.masterToRemote.ns.max)}) | ` +
            `${ns(ow.remoteToMaster.ns.p50)} (${ns(firstReply)}) | ${ns(rt.mean)} (${ns(rt.first)}) | ${s.phases.roundTrip.count} |`,
        );
      }
    }
    out.push(`**${head}**`, '');
    out.push('| set-up | payload B | one-way m→r: p50 (first) ns | one-way r→m: p50 (first: the NS announcement) ns | round trip: mean (first) ns | round trips |');
    out.push('|---|---|---|---|---|---|', ...rows, '');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const commit = commitOf(root);
const block = [
  BEGIN,
  '',
  `Generated by \`node tools/latency-table.mjs\` at commit \`${commit}\`: the ping-pong app, 20 round trips per run, bare metal`,
  "unless the set-up says Zephyr. m→r's first is the slowest message (the cold one); r→m's first is the name-service announcement.",
  '',
  ...out,
  END,
].join('\n');

writeBlock(root, 'docs/timing-model.md', BEGIN, END, block);
