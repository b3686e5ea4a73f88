import { randomUUID } from 'node:crypto';
import { contextFactory } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient } from '@tributary/messaging';
import type { DeliveryOptions, MessagingListenerConfig, MicroserviceConnection } from '@tributary/messaging';
import type { ConformanceFault, DeadLetterRecord, TransportConformanceSetup } from '../TransportConformanceSetup';
import { waitFor } from './waitFor';

/** Delivery options every service and client of the suite gets unless a case sets its own. */
export const DEFAULT_CASE_OPTIONS: DeliveryOptions = {
  timeout: 5_000,
  retry: { maxAttempts: 3, initialDelay: 50, maxDelay: 400, factor: 2 },
};

/** How a case starts a service or a client. */
export interface StartOptions {
  /** Delivery options merged over the defaults. */
  extra?: DeliveryOptions;
  /** Route through the fault hook's connection. */
  fault?: ConformanceFault;
}

/**
 * One case's world: fresh channel and type names, the services and clients it started
 * (closed after it, whatever happened), and bounded waits.
 */
export class ConformanceCase {
  readonly channels: string[] = [];
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly faults: ConformanceFault[] = [];
  private readonly suffix = randomUUID().slice(0, 8);

  constructor(
    readonly setup: TransportConformanceSetup,
    /** Default bound of a wait, ms. */
    readonly patience: number,
  ) {}

  /** A channel no other case (or agent) uses: `conf-<label>-<random>`. */
  channel(label: string): string {
    const channel = `conf-${label}-${this.suffix}${this.channels.length ? `-${this.channels.length}` : ''}`;
    this.channels.push(channel);
    return channel;
  }

  /** An event type no other case uses (for publish, whose topics are shared by the broker). */
  type(label: string): string {
    return `Conf${label}.${this.suffix}`;
  }

  private options(factory: TransportConformanceSetup['serviceOptions'], channel: string, start: StartOptions): Record<string, unknown> {
    const extra = { ...DEFAULT_CASE_OPTIONS, ...start.extra };
    return { ...factory(channel, extra), ...start.fault?.options };
  }

  /** The options a service consuming `channel` gets (for APIs that take options, such as `redriveDeadLetters`). */
  serviceOptionsOf(channel: string, start: StartOptions = {}): Record<string, unknown> {
    return this.options(this.setup.serviceOptions, channel, start);
  }

  /** Starts a service consuming `channel` with this listener. */
  async service(channel: string, listener: MessagingListenerConfig, start: StartOptions = {}): Promise<MicroserviceConnection> {
    const microservice = await createMicroservice({
      transport: this.setup.transport,
      options: this.options(this.setup.serviceOptions, channel, start),
      listener: messagingListener(listener),
    });
    const connection = await microservice();
    this.closers.push(() => connection.close({ drainTimeout: 1_000 }));
    return connection;
  }

  /** A client of the service on `channel`. */
  async client(channel: string, start: StartOptions = {}): Promise<MessagingClient> {
    const factory = this.setup.clientOptions ?? this.setup.serviceOptions;
    const client = await MessagingClient({ transport: this.setup.transport, options: this.options(factory, channel, start) })(await contextFactory());
    this.closers.push(() => client.close());
    return client;
  }

  /** The fault hook's connection, closed after the case. */
  async fault(): Promise<ConformanceFault> {
    if (!this.setup.fault) throw new Error('conformance: capabilities.faultInjection is on but the setup has no `fault` hook');
    const fault = await this.setup.fault();
    this.faults.push(fault);
    return fault;
  }

  /** `closed` (already closed) is replaced by a new instance: the setup's `replaced` hook, if any. */
  async replaced(closed: MicroserviceConnection, channel: string): Promise<void> {
    await this.setup.replaced?.(closed, channel);
  }

  /** Something else to close after the case. */
  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  deadLetters(channel: string): Promise<DeadLetterRecord[]> {
    return this.setup.readDeadLetters(channel);
  }

  /** Waits (bounded by `timeout`, default the case's patience) until `predicate` holds. */
  waitFor(predicate: () => boolean | Promise<boolean>, what: string, describe?: () => unknown, timeout = this.patience): Promise<void> {
    return waitFor(predicate, timeout, what, describe);
  }

  /** Waits until `channel` has `count` dead letters and returns them. */
  async deadLettersOf(channel: string, count: number): Promise<DeadLetterRecord[]> {
    let letters: DeadLetterRecord[] = [];
    await this.waitFor(
      async () => (letters = await this.deadLetters(channel)).length >= count,
      `${count} dead letter(s) on "${channel}"`,
      () => letters,
    );
    return letters;
  }

  /** Closes everything the case started (each once, errors ignored), then the setup's cleanup. */
  async close(): Promise<void> {
    // connections through a fault close politely once it is restored; the fault closes last
    await Promise.all(this.faults.map(fault => fault.restore().catch(() => undefined)));
    await Promise.all(this.closers.splice(0).map(close => close().catch(() => undefined)));
    await Promise.all(this.faults.splice(0).map(fault => fault.close().catch(() => undefined)));
    if (this.setup.cleanup && this.channels.length) await this.setup.cleanup([...this.channels]);
  }
}
