// `rpmsg-sim shmem <file> [scenario]`: decodes a `run --dump-shmem` image into named fields
// with their values (teach/shmem.ts), by the layout of the scenario or platform options.

import { InputFileError, readInputBytes } from '../../scenario-engine/files';
import type { Argv } from 'yargs';
import { ShmemSizeError, decodeShmem } from '../../teach/shmem';
import { BadInput, type Command, out } from './common';
import { type LayoutArgs, layoutOfArgs, layoutOptions } from './layout';

/** An image larger than this is not read (an assumption: shared memories are kilobytes to a few MiB). */
const MAX_IMAGE_BYTES = 1024 * 1024 * 1024;

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
      bytes = readInputBytes(args.file, 'image', MAX_IMAGE_BYTES);
    } catch (error) {
      if (error instanceof InputFileError) throw new BadInput(error.message);
      throw error;
    }
    try {
      out(decodeShmem(layout, bytes, `${args.file} (${title})`, { ...(payloadBytes !== undefined && { payloadBytes }) }).replace(/\n$/, ''));
    } catch (error) {
      if (error instanceof ShmemSizeError) throw new BadInput(`${args.file}: ${error.message}`);
      throw error;
    }
  },
};
