import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import type { BoundDependency } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MessagingListenerConfig, MicroserviceConnection } from '@tributary/messaging';
import type { KafkaStrategyOptions } from '@tributary/kafka';
import { kafkaClient } from '../src/internal/client';
import { readHeaders } from '../src/internal/wire';

export const ROOT = resolve(__dirname, '../../..');
export const KAFKA_SCRIPT = resolve(ROOT, 'scripts/services/kafka.sh');
export const BROKERS = [process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'];

/** Starts the test broker unless it runs (idempotent; ~7 s the first time). */
export const ensureKafka = (): void => {
  execFileSync('bash', [KAFKA_SCRIPT, 'start'], { stdio: 'pipe', timeout: 120_000 });
};

export const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

export const waitFor = async (check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
};

export const uniqueTopic = (name: string): string => `test-${name}-${randomBytes(4).toString('hex')}`;

/** A record of a dead-letter topic, as read back. */
export interface DeadLetterRecord {
  key?: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** Reads every record of `topic` from the beginning (a throwaway group), stopping after `count` or `ms`. */
export const readTopic = async (topic: string, count: number, ms = 10_000): Promise<DeadLetterRecord[]> => {
  const { Consumer, MessagesStreamModes, stringDeserializers } = kafkaClient();
  const consumer = new Consumer({
    clientId: 'test-reader',
    groupId: `test-reader-${randomBytes(4).toString('hex')}`,
    bootstrapBrokers: BROKERS,
    maxWaitTime: 200,
    deserializers: { key: stringDeserializers.key, headerKey: stringDeserializers.headerKey, headerValue: stringDeserializers.headerValue },
  } as any) as any;
  const out: DeadLetterRecord[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    stream.on('data', (m: any) => out.push({ key: m.key || undefined, value: m.value, headers: readHeaders(m.headerEntries) }));
    await waitFor(() => out.length >= count, ms, `${count} record(s) on ${topic}`).catch(() => undefined);
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  return out;
};

/** Deletes test topics (and their dead-letter topics). */
export const deleteTopics = async (topics: string[], brokers: string[] = BROKERS): Promise<void> => {
  const { Admin } = kafkaClient();
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: brokers } as any);
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.flatMap(t => [t, `${t}.dead-letter`]).filter(t => existing.has(t));
    if (doomed.length) await admin.deleteTopics({ topics: doomed });
    // the group a redrive records its progress with
    const groups = await admin.listGroups();
    const redrive = topics.map(t => `${t}.dead-letter.redrive`).filter(g => groups.has(g));
    if (redrive.length) await admin.deleteGroups({ groups: redrive });
  } catch {
    // best effort
  } finally {
    await admin.close();
  }
};

/** End-to-end pieces on Kafka, closed together. */
export class KafkaServices {
  private readonly closers: Array<() => Promise<void>> = [];
  readonly topics: string[] = [];

  /** `brokers`: the shared test broker by default, or one of a test's own (ownKafka.ts). */
  constructor(private readonly brokers: string[] = BROKERS) {}

  options(options: Partial<KafkaStrategyOptions> & { topic: string }): KafkaStrategyOptions {
    if (!this.topics.includes(options.topic)) this.topics.push(options.topic);
    return { brokers: this.brokers, timeout: 10_000, commitInterval: 50, ...options };
  }

  async service(options: Partial<KafkaStrategyOptions> & { topic: string }, listener: MessagingListenerConfig, dependencies: Array<BoundDependency<any>> = []): Promise<MicroserviceConnection> {
    const microservice = await createMicroservice({ transport: Transport.KAFKA, options: this.options(options), listener: messagingListener(listener), dependencies });
    const connection = await microservice();
    this.closers.push(() => connection.close({ drainTimeout: 2_000 }));
    return connection;
  }

  async client(options: Partial<KafkaStrategyOptions> & { topic: string }): Promise<MessagingClient> {
    const token = createContextToken<MessagingClient>('KafkaClient');
    const context = await contextFactory(bindEagerlyTo(token)(MessagingClient({ transport: Transport.KAFKA, options: this.options(options) })));
    const client = useContext(token)(lookup(context));
    this.closers.push(() => client.close());
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map(close => close().catch(() => undefined)));
    await deleteTopics(this.topics.splice(0), this.brokers);
  }
}
