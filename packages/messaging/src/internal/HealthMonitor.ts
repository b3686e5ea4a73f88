import { merge, Observable, Subscription } from 'rxjs';
import type { HealthReport, HealthStatus } from '../health/HealthReport';
import { ConnectionStatus } from '../transport/transport.interface';

/** What the monitor watches. */
export interface HealthSource {
  readonly transport: string;
  readonly channel: string;
  readonly status$: Observable<unknown>;
  readonly error$: Observable<Error>;
  readonly inFlight: () => number;
  /** Called when the connection is back after a loss. */
  readonly reconnected?: () => void;
}

/** A transport's status value as a health status (unknown values: degraded). */
const toHealth = (status: unknown): HealthStatus =>
  status === ConnectionStatus.CONNECTED ? 'up' : status === ConnectionStatus.CLOSED ? 'down' : 'degraded';

/**
 * Follows a connection's `status$` and `error$` and answers `health()` synchronously. A
 * connection starts `up` (it is handed over connected); `close()` makes it `down` for good.
 */
export class HealthMonitor {
  private status: HealthStatus = 'up';
  private since = Date.now();
  private lastError?: HealthReport['lastError'];
  private readonly subscription: Subscription;

  constructor(private readonly source: HealthSource) {
    this.subscription = merge(source.status$, source.error$).subscribe({
      next: value => (value instanceof Error ? this.failed(value) : this.changed(toHealth(value))),
      error: () => undefined,
    });
  }

  private changed(next: HealthStatus): void {
    if (next === this.status || this.status === 'down') return;
    if (next === 'up' && this.status === 'degraded') this.source.reconnected?.();
    this.status = next;
    this.since = Date.now();
  }

  private failed(error: Error): void {
    this.lastError = { name: error.name, message: error.message, at: Date.now() };
  }

  /** The connection is closed (or closing): `down` from now on. */
  close(): void {
    this.changed('down');
    this.subscription.unsubscribe();
  }

  health(): HealthReport {
    const report = { status: this.status, transport: this.source.transport, channel: this.source.channel, inFlight: this.source.inFlight(), since: this.since };
    return this.lastError ? { ...report, lastError: this.lastError } : report;
  }
}
