// The registry entry of the lpc55s69: its hardware (hardware.ts) and its rpmsg-lite port (port.ts).
import type { PlatformEntry } from '../common/entry';
import { lpc55s69 as hardware } from './hardware';
import { createPort } from './port';

export const lpc55s69: PlatformEntry = { hardware, createPort };
