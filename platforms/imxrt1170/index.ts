// The registry entry of the imxrt1170: its hardware (hardware.ts), its rpmsg-lite port (port.ts)
// and its Zephyr IPM port (common/zephyr-ipm-port.ts).
import type { PlatformEntry } from '../common/entry';
import { imxrt1170 as hardware } from './hardware';
import { createPort } from './port';
import { zephyrIpmPort } from '../common/zephyr-ipm-port';

export const imxrt1170: PlatformEntry = { hardware, createPort, ports: { 'zephyr-ipm': zephyrIpmPort('imx') } };
