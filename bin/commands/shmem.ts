// `rpmsg-sim shmem <file> [scenario]`: decodes a `run --dump-shmem` image into named fields
// with their values (teach/shmem.ts), by the layout of the scenario or platform options.

import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ShmemSizeError, decodeShmem } from '../../teach/shmem';
import { BadInput, type Command, out } from './common';
import { type LayoutArgs, layoutOfArgs, layoutOptions } from './layout';

export const shmemCommand: Command = {
  command: 'shmem <file> [scenario]',
  describe: 'Decode a --dump-shmem image: descriptors, indices, ring entries, buffer headers, payload bytes',
  builder: (y: Argv) =>
    layoutOptions(
      y
        .positional('file', { type: 'string', describe: 'the image written by rpmsg-sim run --dump-shmem' })
        .positional('scenario', { type: 'string', describe: 'the scenario that made it (or give --platform and the rpmsg-lite options)' }),
    ).option('payload-bytes', { type: 'string', describe: 'payload bytes shown per buffer at most (default 64)' }),
  handler: (raw) => {
    const args = raw as unknown as LayoutArgs & { file: string; payloadBytes?: string };
    if (args.payloadBytes !== undefined && !/^\s*\d+\s*$/.test(args.payloadBytes)) {
      throw new BadInput(`--payload-bytes: expected a whole number of bytes, got "${args.payloadBytes}"`);
    }
    const payloadBytes = args.payloadBytes === undefined ? undefined : Number(args.payloadBytes);
    const { layout, title } = layoutOfArgs(args);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(args.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new BadInput(`${args.file}: cannot read the image${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : ''}`);
    }
    try {
      out(decodeShmem(layout, bytes, `${args.file} (${title})`, { ...(payloadBytes !== undefined && { payloadBytes }) }).replace(/\n$/, ''));
    } catch (error) {
      if (error instanceof ShmemSizeError) throw new BadInput(`${args.file}: ${error.message}`);
      throw error;
    }
  },
};
