// The registry entry of the imx8mm: its hardware (hardware.ts) and its rpmsg-lite port (port.ts).
import type { PlatformEntry } from '../common/entry';
import { imx8mm as hardware } from './hardware';
import { createPort } from './port';

export const imx8mm: PlatformEntry = { hardware, createPort };
