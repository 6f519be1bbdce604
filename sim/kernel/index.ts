// Public API of the discrete-event kernel. Everything outside sim/kernel imports from here.
export { ClockDomain, Timebase, type TimeSource, type TimebaseOptions, formatHz } from './clock';
export { ConfigError, FirmwareError, Interrupt, InternalError, ProcessError, SchedulingError, SimError, TickLimitError } from './errors';
export {
  type BlockedProcess,
  Event,
  EventTimeout,
  Kernel,
  type KernelOptions,
  Process,
  type ProcessBody,
  type RunOptions,
  type RunResult,
  type StopReason,
  Task,
  TIMEOUT,
  type Timeout,
  type Wait,
} from './kernel';
export { Priority } from './queue';
export { type Cycles, MAX_TICKS, type Ticks, ZERO_TICKS, cycles, ticks } from './time';
