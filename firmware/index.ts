// The public API for firmware modules, the package entry `rpmsg-sim/firmware`
// (docs/api.md): what a program of a `module:` scenario needs — the rpmsg-lite model (the
// RpmsgLite class and the C-style rpmsg_lite_* functions of rpmsg_lite.h, the name service
// and rpmsg_queue), the RL_* constants, the program contract (ProgramContext, Program), the
// Firmware generator type and cycles(). A user module imports from here, never from source
// paths; when the simulator compiles a module, this import is bound to the running
// simulator's own copy of these objects (scenario-engine/files.ts compileModules), so
// instanceof checks and shared state hold.
//
// Everything listed is re-exported unchanged from its source file; it covers what the apps
// of firmware/apps use of the library (the C-style functions besides), and all that
// scenarios/lessons/release-race.ts and examples/echo-firmware.ts use.

export { type Program, type ProgramContext, type Pins, type CoreSystem, type Role, ROLES, isRole } from './program';
export type { Firmware, FirmwareStep, CoreOp } from '../sim/hw/core';
export type { Core } from '../sim/hw/core';
export { type Cycles, cycles } from '../sim/kernel/time';
export { FirmwareError } from '../sim/kernel/errors';
export { RpmsgLite, type Endpoint, type RxCallback, type RlInitOptions } from './rpmsg-lite/rpmsg-lite';
export type { RlConfig } from './rpmsg-lite/virtio-ring';
export { type CopyCosts, copyFromShared, copyToShared } from './costs/libc';
export {
  RL_SUCCESS,
  RL_ERRORS_BASE,
  RL_ERR_NO_MEM,
  RL_ERR_BUFF_SIZE,
  RL_ERR_PARAM,
  RL_ERR_DEV_ID,
  RL_ERR_MAX_VQ,
  RL_ERR_NO_BUFF,
  RL_NOT_READY,
  RL_ALREADY_DONE,
  RL_ERROR_NAMES,
  RL_NULL,
  RL_REMOTE,
  RL_MASTER,
  RL_TRUE,
  RL_FALSE,
  RL_ADDR_ANY,
  RL_RELEASE,
  RL_HOLD,
  RL_DONT_BLOCK,
  RL_BLOCK,
  RL_NO_FLAGS,
  RL_WORD_SIZE,
  RL_MAX_BUFFER_COUNT,
  RL_MAX_VRING_ALIGN,
  RL_NS_EPT_ADDR,
  RL_NS_CREATE,
  RL_NS_DESTROY,
  RL_NS_NAME_SIZE,
  RL_NS_MSG_SIZE,
  describeRlReturn,
} from './rpmsg-lite/constants';
export {
  type RpmsgLiteInstance,
  type RpmsgLiteEndpoint,
  rpmsg_lite_master_init,
  rpmsg_lite_remote_init,
  rpmsg_lite_deinit,
  rpmsg_lite_create_ept,
  rpmsg_lite_destroy_ept,
  rpmsg_lite_send,
  rpmsg_lite_is_link_up,
  rpmsg_lite_wait_for_link_up,
  rpmsg_lite_alloc_tx_buffer,
  rpmsg_lite_send_nocopy,
  rpmsg_lite_release_rx_buffer,
} from './rpmsg-lite/api';
export { type NsHandle, type NsNewEndpointCallback, rpmsg_ns_bind, rpmsg_ns_unbind, rpmsg_ns_announce, readNsName } from './rpmsg-lite/rpmsg-ns';
export {
  type RpmsgQueue,
  type RpmsgQueueMessage,
  type Out,
  rpmsg_queue_create,
  rpmsgQueueRxCallback,
  rpmsg_queue_recv,
  rpmsg_queue_recv_nocopy,
  rpmsg_queue_nocopy_free,
  rpmsg_queue_destroy,
  rpmsg_queue_get_current_size,
} from './rpmsg-lite/rpmsg-queue';
