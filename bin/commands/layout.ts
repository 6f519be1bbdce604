// `rpmsg-sim layout [scenario]`: the shared-memory map of a link (teach/layout.ts): both
// vrings part by part, padding and gaps, every buffer; as text, and with --svg as an SVG file
// (written atomically).

import { listPlatforms } from '../../platforms/registry';
import type { Argv } from 'yargs';
import { RL_MAX_VRING_ALIGN } from '../../firmware/rpmsg-lite/constants';
import { configProblem, vringSizeBytes } from '../../firmware/rpmsg-lite/virtio-ring';
import { parseSize } from '../../scenario-engine/units';
import type { RpmsgSettings } from '../../scenario-engine/types';
import { writeFileWhole } from '../../sim/trace/output';
import { layoutSvg, layoutText } from '../../teach/layout';
import { type SystemLayout, layoutOfPlatform } from '../../teach/system-layout';
import { BadInput, type Command, out, reportWritten, userFailure } from './common';
import { loadAll } from './run';

/** The options `layout` and `shmem` share: a scenario, or a platform with rpmsg-lite settings. */
export interface LayoutArgs {
  scenario?: string;
  platform?: string;
  bufferCount?: string;
  payloadSize?: string;
  vringAlign?: string;
  vringSize?: string;
  set?: string[];
}

export function layoutOptions(y: Argv): Argv {
  return y
    .option('platform', { type: 'string', describe: 'the platform, without a scenario (default imxrt1170)' })
    .option('buffer-count', { type: 'string', describe: 'RL_BUFFER_COUNT: buffers per direction (a power of two)' })
    .option('payload-size', { type: 'string', describe: 'RL_BUFFER_PAYLOAD_SIZE (496B, 1KiB, …)' })
    .option('vring-align', { type: 'string', describe: 'VRING_ALIGN (0x10, 4KiB, …)' })
    .option('vring-size', { type: 'string', describe: 'VRING_SIZE: the stride between the two vrings' })
    .option('set', { type: 'string', array: true, describe: 'override a scenario value: path=value' });
}

function sizeOption(flag: string, text: string): number {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  const parsed = parseSize(t);
  if (!parsed.ok) throw new BadInput(`--${flag}: ${parsed.message}`);
  return parsed.value;
}

/** The layout the options describe (BadInput when they do not make one). */
export function layoutOfArgs(args: LayoutArgs): SystemLayout & { title: string } {
  const settings: RpmsgSettings = {};
  if (args.bufferCount !== undefined) {
    if (!/^\d+$/.test(args.bufferCount.trim())) throw new BadInput(`--buffer-count: expected a whole number, got "${args.bufferCount}"`);
    settings.bufferCount = Number(args.bufferCount);
  }
  if (args.payloadSize !== undefined) settings.bufferPayloadSize = sizeOption('payload-size', args.payloadSize);
  if (args.vringAlign !== undefined) settings.vringAlign = sizeOption('vring-align', args.vringAlign);
  if (args.vringSize !== undefined) settings.vringSize = sizeOption('vring-size', args.vringSize);
  let platform = args.platform ?? 'imxrt1170';
  if (args.platform !== undefined && !listPlatforms().includes(args.platform)) {
    throw new BadInput(`--platform ${args.platform}: unknown platform; known platforms: ${listPlatforms().join(', ')}`);
  }
  let overrides = {};
  let title = platform;
  if (args.scenario === undefined && (args.set ?? []).length > 0) throw new BadInput('--set changes a scenario: give the scenario file too');
  if (args.scenario !== undefined) {
    if (args.platform !== undefined) throw new BadInput('give a scenario or --platform, not both (the scenario names its platform)');
    const [scenario] = loadAll([args.scenario], args.set ?? []);
    platform = scenario!.platform;
    overrides = scenario!.overrides;
    Object.assign(settings, { ...scenario!.rpmsg, ...settings });
    title = `${scenario!.name} on ${platform}`;
  }
  try {
    const l = layoutOfPlatform(platform, { overrides, config: settings });
    const problem = configProblem({ ...l.layout, bufferPayloadSize: l.layout.payloadSize, msPerInterval: 1, allowConsumedBuffersNotification: false, clearUsedBuffers: false, customShmemConfig: false });
    if (problem !== null) {
      // named by the option that gives it (or the scenario, whose loader would have said so)
      const option = /^buffer count/.test(problem) ? '--buffer-count' : /^buffer payload/.test(problem) ? '--payload-size' : /^VRING_ALIGN/.test(problem) ? '--vring-align' : undefined;
      throw new BadInput(`${option === undefined ? '' : `${option}: `}the rpmsg-lite configuration cannot be used: ${problem}`);
    }
    // What a scenario's loader refuses (scenario-engine/load.ts), and a VRING_SIZE that would overlap the vrings.
    const { vringAlign: align, vringSize: size, bufferCount: n } = l.layout;
    if (!(align > 0 && (align & (align - 1)) === 0 && align <= RL_MAX_VRING_ALIGN)) {
      throw new BadInput(`--vring-align: VRING_ALIGN must be a power of two up to ${RL_MAX_VRING_ALIGN}B, got ${align}B`);
    }
    const need = vringSizeBytes(n, align);
    if (size < need) throw new BadInput(`--vring-size: VRING_SIZE ${size}B is smaller than one vring of ${n} descriptors aligned to ${align}B (${need}B): the vrings would overlap`);
    return { ...l, title };
  } catch (error) {
    const user = userFailure(error);
    if (user !== undefined) throw new BadInput(user.text);
    throw error;
  }
}


export const layoutCommand: Command = {
  command: 'layout [scenario]',
  describe: "Print the shared-memory map of rpmsg-lite's vrings and buffers (and --svg FILE)",
  builder: (y: Argv) =>
    layoutOptions(y.positional('scenario', { type: 'string', describe: 'scenario file (YAML); or give --platform and the rpmsg-lite options' })).option('svg', {
      type: 'string',
      describe: 'also write the map as an SVG file',
    }),
  handler: (raw) => {
    const args = raw as unknown as LayoutArgs & { svg?: string };
    if (args.svg === '-') throw new BadInput('--svg: give a file (the map itself goes to standard output)');
    const { layout, title } = layoutOfArgs(args);
    if (args.svg !== undefined) {
      writeFileWhole(args.svg, layoutSvg(layout, title), 'the SVG');
      reportWritten(args.svg);
    }
    out(layoutText(layout, title).replace(/\n$/, ''));
  },
};
