// rpmsg-lite port of the LPC55S69 (porting/platform/lpc55s69), without MCMGR: the LPC
// mailbox, bit q of the other core's word; VRING_ALIGN 0x10.
import { LpcMailboxPort } from '../common/mailbox-ports';
import type { PortSetup } from '../common/cortex-m-port';

export const createPort = (setup: PortSetup): LpcMailboxPort => new LpcMailboxPort(setup);
