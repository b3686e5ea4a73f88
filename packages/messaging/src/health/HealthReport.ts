/**
 * `up`: connected; `degraded`: the connection is lost and being re-established (messages wait
 * or fail after their timeout); `down`: closed, or never connected.
 * @since 0.2.0
 * @category health
 */
export type HealthStatus = 'up' | 'degraded' | 'down';

/**
 * What `connection.health()` and `client.health()` return: synchronous, cheap, safe to call
 * from an HTTP health endpoint on every probe.
 *
 * @example
 * ```ts
 * import type { HealthReport } from '@tributary/messaging';
 * const ready = (report: HealthReport): boolean => report.status === 'up';
 * ready({ status: 'up', transport: 'amqp', channel: 'orders', inFlight: 0, since: Date.now() }); // true
 * ```
 * @since 0.2.0
 * @category health
 */
export interface HealthReport {
  readonly status: HealthStatus;
  /** The transport (`local`, `amqp`, `redis`, ...). */
  readonly transport: string;
  /** The service's channel (a client: the target service's channel). */
  readonly channel: string;
  /** Received messages not settled yet (always 0 for a client). */
  readonly inFlight: number;
  /** The last error the connection reported, and when (epoch ms). */
  readonly lastError?: { readonly name: string; readonly message: string; readonly at: number };
  /** Since when (epoch ms) the status is what it is. */
  readonly since: number;
}
