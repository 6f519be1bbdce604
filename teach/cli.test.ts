// `layout` and `shmem` as a user meets them: the real launcher as a child process (the bundle
// built once here), exit codes, stdout and stderr exactly, files written whole or not at all.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wroteLine } from '../sim/text/quantity';
import { DOMParser } from '@xmldom/xmldom';
import { layoutSvg, layoutText } from './layout';
import { layoutOfPlatform } from './system-layout';

const root = join(__dirname, '..');
let dir = '';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rpmsg-sim'), ...args, '--no-color'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-teach-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('layout', () => {
  test('prints the map of the default platform and writes the SVG', () => {
    const svg = join(dir, 'map.svg');
    const r = cli('layout', '--svg', svg);
    expect(r.stderr).toBe(`${wroteLine(svg, statSync(svg).size)}\n`);
    expect(r.code).toBe(0);
    const { layout } = layoutOfPlatform('imxrt1170');
    expect(r.stdout).toBe(layoutText(layout, 'imxrt1170'));
    expect(readFileSync(svg, 'utf8')).toBe(layoutSvg(layout, 'imxrt1170'));
    const errors: string[] = [];
    new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(readFileSync(svg, 'utf8'), 'image/svg+xml');
    expect(errors).toEqual([]);
    expect(readdirSync(dir)).toEqual(['map.svg']);
  });

  test('takes a scenario, and the rpmsg-lite options over it (4 buffers: VRING_SIZE 0x40 + 0x10 + 0x30 = 0x80; 8 × 1040 B do not fit in 8192 - 0x100 B)', () => {
    const r = cli('layout', 'scenarios/lessons/one-message.yaml', '--buffer-count', '4', '--payload-size', '1KiB');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'one-message on imxrt1170: shared memory 0x202C0000..0x202C2000 (8192 B)',
      'rpmsg-lite: RL_BUFFER_COUNT 4, RL_BUFFER_PAYLOAD_SIZE 1024 B (RL_BUFFER_SIZE 1040 B), VRING_ALIGN 0x10, VRING_SIZE 0x80',
      'warning: only 7 buffers fit; rpmsg_lite_master_init returns NULL (it needs 8)',
    ]);
  });

  test.each([
    [['--platform', 'nope'], 'rpmsg-sim: error: --platform nope: unknown platform; known platforms: imxrt1170, lpc55s69, imx8mm, lpc54114\n'],
    [['--buffer-count', '3'], 'rpmsg-sim: error: --buffer-count: the rpmsg-lite configuration cannot be used: buffer count 3 is not a power of two from 1 to 32768\n'],
    [['--buffer-count', 'two'], 'rpmsg-sim: error: --buffer-count: expected a whole number, got "two"\n'],
    [['--payload-size', '1.5B'], 'rpmsg-sim: error: --payload-size: a size is a whole number of bytes, got "1.5B"\n'],
    [['scenarios/lessons/one-message.yaml', '--platform', 'lpc55s69'], 'rpmsg-sim: error: give a scenario or --platform, not both (the scenario names its platform)\n'],
    [['--set', 'rpmsg.buffer-count=4'], 'rpmsg-sim: error: --set changes a scenario: give the scenario file too\n'],
    [['--svg=-'], 'rpmsg-sim: error: --svg: give a file (the map itself goes to standard output)\n'],
    [['--vring-align', '3'], 'rpmsg-sim: error: --vring-align: VRING_ALIGN must be a power of two up to 65536B, got 3B\n'],
    // 2 descriptors aligned to 16: 16 × 2 + 6 + 4 + 2 = 44 → 48, + 12 + 16 + 2 = 78 B
    [['--vring-size', '1'], 'rpmsg-sim: error: --vring-size: VRING_SIZE 1B is smaller than one vring of 2 descriptors aligned to 16B (78B): the vrings would overlap\n'],
  ])('bad input %j: exit 2, one line', (args, stderr) => {
    const r = cli('layout', ...args);
    expect(r).toEqual({ code: 2, stdout: '', stderr });
  });

  test('an SVG that cannot be written: exit 2, nothing left behind', () => {
    const svg = join(dir, 'no-such-dir', 'map.svg');
    const r = cli('layout', '--svg', svg);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rpmsg-sim: error: cannot write the SVG "${svg}": its directory does not exist\n`);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});

describe('explain', () => {
  test('--from after the last record: exit 2, what the run has', () => {
    const r = cli('explain', 'scenarios/lessons/one-message.yaml', '--from', '100s');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'rpmsg-sim: error: --from: the run has no record at or after 100s (its last is at 110.295 µs)\n' });
  });

  test('a scenario with errors: each at its file:line:column, exit 2, no output', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nmaster:\n  steps: [init]\nremote:\n  steps: [init]\nstop:\n  time: 10\n');
    const r = cli('explain', bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`${bad}:7:9: expected a duration like 10us, 2ms or 100 cycles@cm4, got 10`);
    expect(r.stderr).toMatch(/rpmsg-sim: error: the scenario has errors \(see above\)\n$/);
    expect(r.stderr).not.toContain('    at ');
    rmSync(bad);
  });
});

describe('shmem', () => {
  test('decodes the image run --dump-shmem wrote', () => {
    const image = join(dir, 'one.bin');
    expect(cli('run', 'scenarios/lessons/one-message.yaml', '--dump-shmem', image).code).toBe(0);
    const r = cli('shmem', image, 'scenarios/lessons/one-message.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${image} (one-message on imxrt1170): shared memory image of 8192 B at 0x202C0000`);
    expect(lines).toContain('0x202C04B0  buf[2].payload[+0..+4]      68 65 6c 6c 6f                                   |hello|');
    rmSync(image);
  });

  test('an image of the wrong size for the layout: exit 2, what to do', () => {
    const image = join(dir, 'short.bin');
    writeFileSync(image, new Uint8Array(100));
    const r = cli('shmem', image, '--platform', 'lpc55s69');
    expect(r).toEqual({ code: 2, stdout: '', stderr: `rpmsg-sim: error: ${image}: the image has 100 B; the shared memory of this layout is 6144 B (give the scenario or platform that made it)\n` });
    rmSync(image);
  });

  test('--payload-bytes that is not a whole number: exit 2, the text as given', () => {
    const r = cli('shmem', join(dir, 'none.bin'), '--payload-bytes', 'abc');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'rpmsg-sim: error: --payload-bytes: expected a whole number of bytes, got "abc"\n' });
  });

  test('a missing image: exit 2', () => {
    const r = cli('shmem', join(dir, 'none.bin'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: `rpmsg-sim: error: ${join(dir, 'none.bin')}: cannot read the image: no such file\n` });
  });
});
