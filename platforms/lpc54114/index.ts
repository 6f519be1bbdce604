// The registry entry of the lpc54114: its hardware (hardware.ts), its rpmsg-lite port (port.ts)
// and its Zephyr IPM port (common/zephyr-ipm-port.ts).
import type { PlatformEntry } from '../common/entry';
import { lpc54114 as hardware } from './hardware';
import { createPort } from './port';
import { zephyrIpmPort } from '../common/zephyr-ipm-port';

export const lpc54114: PlatformEntry = { hardware, createPort, ports: { 'zephyr-ipm': zephyrIpmPort('mcux') } };
