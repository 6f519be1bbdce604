// rpmsg-lite port of the i.MX RT1170 (porting/platform/imxrt1170): MU general-purpose
// interrupts, CM7 on side A (master), CM4 on side B (remote); VRING_ALIGN 0x10.
import { MuGeneralInterruptPort } from '../common/mailbox-ports';
import type { PortSetup } from '../common/cortex-m-port';

export const createPort = (setup: PortSetup): MuGeneralInterruptPort => new MuGeneralInterruptPort(setup);
