// rpmsg-lite port of the i.MX 8M Mini (porting/platform/imx8mm_m4): MU data channel 1 with
// vq_id << 16, Linux-compatible vrings (VRING_ALIGN 0x1000, VRING_SIZE 0x8000). The A53
// master uses the same protocol from side A, as Linux's imx_rproc_kick does.
import { MuDataChannelPort } from '../common/mailbox-ports';
import type { PortSetup } from '../common/cortex-m-port';

export const createPort = (setup: PortSetup): MuDataChannelPort => new MuDataChannelPort(setup);
