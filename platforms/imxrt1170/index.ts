// The registry entry of the imxrt1170: its hardware (hardware.ts) and its rpmsg-lite port (port.ts).
import type { PlatformEntry } from '../common/entry';
import { imxrt1170 as hardware } from './hardware';
import { createPort } from './port';

export const imxrt1170: PlatformEntry = { hardware, createPort };
