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
}

/** Marble.js's default timeout, kept. */
export const DEFAULT_TIMEOUT = 120_000;
