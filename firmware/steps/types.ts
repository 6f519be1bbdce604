// The vocabulary of scenario steps: what a core's firmware can be told to do, in order, as
// the steps interpreter (steps.ts) runs it. The scenario loader reads YAML into these.

/** A duration: nanoseconds, or cycles of a named core's clock ("10us", "2000 cycles@cm7"). */
export type Duration = { ns: number } | { cycles: number; core: string };

export type { Role } from '../program';

/** A step of a core's firmware, in order. Endpoint names are local to the core's steps. */
export type Step =
  /** master_init (master) / remote_init (remote). */
  | { kind: 'init' }
  /** rpmsg_lite_create_ept: `addr` or 'any'; received messages are released, held, or queued (RTOS env). */
  | { kind: 'create-endpoint'; name: string; addr: number | 'any'; onReceive: 'release' | 'hold' | 'queue' }
  | { kind: 'destroy-endpoint'; endpoint: string }
  /** rpmsg_lite_wait_for_link_up. */
  | { kind: 'wait-link-up'; timeoutMs: number | 'block' }
  /**
   * rpmsg_lite_send (copy): `size` bytes of a pattern, or `data` (UTF-8 text or bytes);
   * `repeat` times, `interval` apart; `to` an address or a peer endpoint known by name
   * through the name service ("ns:<name>").
   */
  | {
      kind: 'send';
      from: string;
      to: number | string;
      size?: number;
      data?: string;
      repeat: number;
      interval?: Duration;
      timeoutMs: number | 'block';
    }
  /** Zero copy: rpmsg_lite_alloc_tx_buffer, fill, rpmsg_lite_send_nocopy. */
  | { kind: 'send-nocopy'; from: string; to: number | string; size: number; repeat: number; interval?: Duration; timeoutMs: number | 'block' }
  /** Wait until `count` messages arrived on an endpoint (from the start), or the timeout. */
  | { kind: 'receive'; endpoint: string; count: number; timeout?: Duration }
  /** rpmsg_queue_recv on a 'queue' endpoint (RTOS env): blocking receive of `count` messages. */
  | { kind: 'queue-receive'; endpoint: string; count: number; timeoutMs: number | 'block' }
  /** rpmsg_lite_release_rx_buffer of held buffers of an endpoint (all, or the oldest `count`). */
  | { kind: 'release'; endpoint: string; count: number | 'all' }
  /** rpmsg_ns_bind (records announcements so "ns:<name>" destinations resolve). */
  | { kind: 'ns-bind' }
  /** rpmsg_ns_announce of an endpoint under a name. */
  | { kind: 'ns-announce'; endpoint: string; name: string; flags: 'create' | 'destroy' }
  /** Busy-wait for a while (a delay loop: the core stays busy; interrupts are still taken). */
  | { kind: 'delay'; duration: Duration }
  /** Sleep for a while: a one-shot timer and WFI on bare metal, env_sleep_msec under an RTOS. */
  | { kind: 'sleep'; duration: Duration }
  /** Compute for a number of cycles (busy). */
  | { kind: 'compute'; cycles: number }
  /** Dump the shared memory here (with --dump-shmem). */
  | { kind: 'mark'; label: string }
  /** Drive a GPIO pin high or low (`pin`: a core's measuring pin by the core's name; default this core's own). */
  | { kind: 'pin-high' | 'pin-low'; pin?: string };

