import type { HealthReport } from '../health/HealthReport';
import type { TransportLayerConnection } from '../transport/transport.interface';
import { HealthMonitor } from './HealthMonitor';
import { recordReconnect } from './telemetry/otelState';
import { transportName } from './transportName';

/** A client's health: its connection's once connected; `up` before (it connects on first use); `down` once closed. */
export class ClientHealth {
  private monitor?: HealthMonitor;
  private closedAt?: number;
  private readonly since = Date.now();

  constructor(private readonly target: { channel: string; system?: string; transport?: string }) {}

  /** Follows `connection` (the first one given). */
  watch(connection: TransportLayerConnection): TransportLayerConnection {
    const { channel, system } = this.target;
    this.monitor ??= new HealthMonitor({
      transport: transportName(connection.type),
      channel,
      status$: connection.status$,
      error$: connection.error$,
      inFlight: () => 0,
      reconnected: () => recordReconnect(system ?? transportName(connection.type), channel),
    });
    return connection;
  }

  close(): void {
    this.closedAt ??= Date.now();
    this.monitor?.close();
  }

  health(): HealthReport {
    if (this.monitor) return this.monitor.health();
    const transport = this.target.transport ?? 'unknown';
    if (this.closedAt !== undefined) return { status: 'down', transport, channel: this.target.channel, inFlight: 0, since: this.closedAt };
    return { status: 'up', transport, channel: this.target.channel, inFlight: 0, since: this.since };
  }
}
