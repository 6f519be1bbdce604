// The registry entry of the lpc54114: its hardware (hardware.ts) and its rpmsg-lite port (port.ts).
import type { PlatformEntry } from '../common/entry';
import { lpc54114 as hardware } from './hardware';
import { createPort } from './port';

export const lpc54114: PlatformEntry = { hardware, createPort };
