import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MessagingListenerConfig, MicroserviceConnection, NatsStrategyOptions } from '@tributary/messaging';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export const waitFor = async (check: () => boolean | Promise<boolean>, timeout: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${what}`);
    await sleep(20);
  }
};

/** A dead letter as stored on the server. */
export interface StoredDeadLetter {
  subject: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One test's world on the shared NATS server: unique channel names, an admin connection,
 * the services and clients it started, and the removal of every stream and consumer it made.
 */
export class NatsTestBed {
  readonly id = randomUUID().slice(0, 8);
  private admin?: { nc: NatsConnection; jsm: JetStreamManager };
  private readonly channels = new Set<string>();
  private readonly closers: Array<() => Promise<void>> = [];

  channel(name: string): string {
    const channel = `test-${name}-${this.id}`;
    this.channels.add(channel);
    return channel;
  }

  options(options: Partial<NatsStrategyOptions> & { channel: string }): NatsStrategyOptions {
    return { host: NATS_URL, timeout: 5_000, ...options };
  }

  async manager(): Promise<{ nc: NatsConnection; jsm: JetStreamManager }> {
    if (!this.admin) {
      const nc = await connect({ servers: NATS_URL, name: `tributary test admin ${this.id}` });
      this.admin = { nc, jsm: await jetstreamManager(nc) };
    }
    return this.admin;
  }

  async service(options: Partial<NatsStrategyOptions> & { channel: string }, listener: MessagingListenerConfig): Promise<MicroserviceConnection> {
    const microservice = await createMicroservice({ transport: Transport.NATS, options: this.options(options), listener: messagingListener(listener) });
    const connection = await microservice();
    this.closers.push(() => connection.close({ drainTimeout: 2_000 }));
    return connection;
  }

  async client(options: Partial<NatsStrategyOptions> & { channel: string }): Promise<MessagingClient> {
    const token = createContextToken<MessagingClient>('NatsClient');
    const context = await contextFactory(bindEagerlyTo(token)(MessagingClient({ transport: Transport.NATS, options: this.options(options) })));
    const client = useContext(token)(lookup(context));
    this.closers.push(() => client.close());
    return client;
  }

  /** Puts bytes on a channel as a foreign producer would (no Tributary headers). */
  async injectRaw(channel: string, bytes: Buffer | string, headers: Record<string, string> = {}): Promise<void> {
    const { nc } = await this.manager();
    const h = natsHeaders();
    for (const [key, value] of Object.entries(headers)) h.set(key, value);
    await jetstream(nc).publish(channel, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, { headers: h });
  }

  /** The dead letters of a channel, oldest first. */
  async deadLetters(channel: string): Promise<StoredDeadLetter[]> {
    const { jsm } = await this.manager();
    let stream: string;
    try {
      stream = await jsm.streams.find(`${channel}.dead-letter`);
    } catch {
      return [];
    }
    const { state } = await jsm.streams.info(stream);
    const out: StoredDeadLetter[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!stored) continue;
      const headers: Record<string, string> = {};
      if (stored.header) for (const key of stored.header.keys()) headers[key] = stored.header.get(key);
      out.push({ subject: stored.subject, headers, body: Buffer.from(stored.data) });
    }
    return out;
  }

  /** Messages still held for a service's consumer: waiting plus unacknowledged. */
  async backlog(channel: string): Promise<number> {
    const { jsm } = await this.manager();
    const stream = await jsm.streams.find(channel);
    const info = await jsm.consumers.info(stream, stream);
    return info.num_pending + info.num_ack_pending;
  }

  /** Deletes the streams of a channel and its consumers on the event stream. */
  async deleteChannel(channel: string): Promise<void> {
    const { jsm } = await this.manager();
    for (const subject of [channel, `${channel}.dead-letter`]) {
      const stream = await jsm.streams.find(subject).catch(() => undefined);
      if (stream) await jsm.streams.delete(stream).catch(() => undefined);
    }
    const events = await jsm.streams.find('event.>').catch(() => undefined);
    if (!events) return;
    const prefix = `${channel.replace(/[.*>\s/\\]/g, '_')}_sub_`;
    for await (const consumer of jsm.consumers.list(events)) {
      if (consumer.name.startsWith(prefix)) await jsm.consumers.delete(events, consumer.name).catch(() => undefined);
    }
  }

  /** Closes everything the test opened, then deletes its streams and its consumers on the event stream. */
  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map(close => close().catch(() => undefined)));
    for (const channel of this.channels) await this.deleteChannel(channel);
    await this.admin?.nc.close();
    this.admin = undefined;
  }
}
