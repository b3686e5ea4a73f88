import type { RetryOptions } from './retry';

/**
 * Options every transport accepts besides its own (`host`, `queue`/`channel`, ...).
 * @since 0.1.0
 * @category transport
 */
export interface DeliveryOptions {
  /** RPC timeout, and the manual-ack timeout, in ms. Default 120 000 (Marble.js's). */
  timeout?: number;
  /** Settle messages by hand with `ackEvent` / `nackEvent` (Marble.js semantics). */
  expectAck?: boolean;
  /** Redelivery of failed messages. */
  retry?: RetryOptions;
  /** Event types or patterns (`*`, `#`) this service receives from `publish`. */
  subscribe?: readonly string[];
  /**
   * How many keyed events run at once: events with the same `metadata.key` are handled one at
   * a time in the order received, different keys side by side up to this. Default 32.
   */
  concurrency?: number;
  /**
   * Logs a warning when a message takes longer than this many ms from dispatch to settlement
   * (its effects were slow). Default 0: never.
   */
  slowHandlerWarning?: number;
}

/** Marble.js's default timeout, kept. */
export const DEFAULT_TIMEOUT = 120_000;
