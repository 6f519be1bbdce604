// rpmsg-lite port of the LPC5411x (porting/platform/lpc5411x): the same LPC mailbox scheme
// as the LPC55S69 port (bit q of the other core's word), with the M4 and M0+ slots.
import { LpcMailboxPort } from '../common/mailbox-ports';
import type { PortSetup } from '../common/cortex-m-port';

export const createPort = (setup: PortSetup): LpcMailboxPort => new LpcMailboxPort(setup);
