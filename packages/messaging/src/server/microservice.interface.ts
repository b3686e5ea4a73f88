import type { Event } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { Transport } from '../transport/Transport';
import type { TransportLayerConnection } from '../transport/transport.interface';

/**
 * Options of `close()`.
 * @since 0.1.0
 * @category microservice
 */
export interface CloseOptions {
  /** How long in-flight events may take to finish and settle, in ms (default 10 000). */
  drainTimeout?: number;
}

/** Ten seconds for in-flight events to settle on `close()`. */
export const DEFAULT_DRAIN_TIMEOUT = 10_000;

/**
 * A running service's connection, as `await microservice()` returns it and as effects get it
 * in `ctx.client`.
 * @since 0.1.0
 * @category microservice
 */
export interface MicroserviceConnection<T extends Transport = Transport> extends TransportLayerConnection<T> {
  /** Every event the service received (decoded) and sent. */
  readonly event$: Observable<Event>;
  /** How many received messages are not settled yet. */
  readonly inFlight: number;
  /** Stops taking messages, lets in-flight ones finish and settle, then disconnects. */
  close(options?: CloseOptions): Promise<void>;
}
