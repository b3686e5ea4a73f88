/**
 * The Kafka systems: Tributary `Transport.KAFKA`, the raw `@platformatic/kafka` client (the one
 * Tributary uses), KafkaJS, NestJS 12 `Transport.KAFKA` (KafkaJS inside) and Moleculer 0.15's
 * Kafka transporter (`@platformatic/kafka` inside). Every system gets its own topics, named
 * after the cell's tag, and deletes them (and its consumer groups) when it closes.
 *
 * Guarantees, per system (where they differ from Tributary's, the TSDoc of the system says so):
 * - producer: acks=all, idempotent — Tributary's default; the raw clients, NestJS and Moleculer
 *   are given the same (KafkaJS `idempotent: true`, `@platformatic/kafka` `idempotent: true`).
 * - consumer: a consumer group, offsets committed only after the message was processed
 *   (a reply produced and acknowledged by the broker), from the earliest offset of a fresh topic.
 */
import type * as PK from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import type * as KafkaJS from 'kafkajs';
import type { ClientOptions, MicroserviceOptions } from '@nestjs/microservices' with { 'resolution-mode': 'import' };
import type * as NestMicroservices from '@nestjs/microservices' with { 'resolution-mode': 'import' };
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Transport } from '@tributary/messaging';
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { environment, KAFKA_BROKER } from '../harness/environment';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { tributaryService } from './messagingSystems';
import type { TributaryStarter } from './messagingSystems';
import { tributaryTransportLayer } from './transportLayerOnly';
import { moleculerService } from './moleculer';
import { nestService } from './nest';

/* eslint-disable @typescript-eslint/no-require-imports */
/** `@platformatic/kafka` (an ES module; Node ≥ 22.12 loads it with require), loaded on first use. */
const platformatic = (): typeof PK => require('@platformatic/kafka') as typeof PK;
/** KafkaJS, loaded on first use (the other systems' processes and profiles do not load it). */
const kafkajs = (): typeof KafkaJS => require('kafkajs') as typeof KafkaJS;
/* eslint-enable @typescript-eslint/no-require-imports */

const BROKERS = [KAFKA_BROKER];
/** Partitions of every service topic: Tributary's default (`DEFAULT_KAFKA_OPTIONS.partitions`). */
export const PARTITIONS = 3;
/** Tributary's `commitInterval` default, used by the raw `@platformatic/kafka` service too. */
const COMMIT_INTERVAL = 200;
/** Tributary's fetch `maxWaitTime`; the raw clients get the same. */
const MAX_WAIT = 500;

const within = async <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
};

const withAdmin = async <T>(fn: (admin: PK.Admin) => Promise<T>): Promise<T> => {
  const admin = new (platformatic().Admin)({ clientId: 'bench-admin', bootstrapBrokers: BROKERS } as any);
  try {
    return await fn(admin);
  } finally {
    await admin.close().catch(() => undefined);
  }
};

const alreadyExists = (error: any): boolean => {
  const walk = (e: any): boolean => !!e && (e.apiId === 'TOPIC_ALREADY_EXISTS' || (Array.isArray(e.errors) && e.errors.some(walk)) || walk(e.cause));
  return walk(error);
};

/** Creates topics (the broker does not create them on first use). */
export const createTopics = (topics: readonly string[], partitions = PARTITIONS): Promise<void> =>
  withAdmin(async admin => {
    for (const topic of topics) {
      await admin.createTopics({ topics: [topic], partitions, replicas: 1 }).catch(error => {
        if (!alreadyExists(error)) throw error;
      });
    }
  });

/**
 * Deletes what a cell made: the topics named, every topic starting with one of `prefixes`, and
 * the consumer groups named (best effort: a group still in use stays).
 */
export const deleteKafka = (what: { topics?: readonly string[]; prefixes?: readonly string[]; groups?: readonly string[] }): Promise<void> =>
  within(
    withAdmin(async admin => {
      const existing = await admin.listTopics();
      const doomed = existing.filter(t => what.topics?.includes(t) || what.prefixes?.some(p => t.startsWith(p)));
      if (doomed.length) await admin.deleteTopics({ topics: doomed }).catch(() => undefined);
      if (what.groups?.length) {
        // a member that just left may still be seen by the coordinator for a moment: once more, a second later
        const groups = [...what.groups];
        await admin.deleteGroups({ groups }).catch(() => new Promise(resolve => setTimeout(resolve, 1000)).then(() => admin.deleteGroups({ groups }).catch(() => undefined)));
      }
    }),
    15_000,
    'deleting the Kafka topics',
  ).catch(() => undefined);

/** One record to fill a topic with. */
export interface FillRecord {
  value: Buffer;
  headers?: Record<string, string>;
}

/** Produces `n` records to `topic` (batches of 500, acks=all), before a consume run: not timed. */
export const fillTopic = async (topic: string, n: number, record: (seq: number) => FillRecord): Promise<void> => {
  const { Producer, stringSerializers } = platformatic();
  const producer = new Producer({
    clientId: 'bench-fill',
    bootstrapBrokers: BROKERS,
    idempotent: true,
    serializers: { key: stringSerializers.key, headerKey: stringSerializers.headerKey, headerValue: stringSerializers.headerValue },
  } as any) as unknown as PK.Producer<string, Buffer, string, string>;
  try {
    for (let i = 0; i < n; i += 500) {
      const messages = [];
      for (let seq = i; seq < Math.min(n, i + 500); seq++) messages.push({ topic, ...record(seq) });
      await producer.send({ messages } as any);
    }
  } finally {
    await producer.close().catch(() => undefined);
  }
};

/** Waits until `ready` resolves, retrying it (a consumer group joining), bounded. */
const untilReady = async (ready: () => Promise<unknown>, ms: number, what: string): Promise<void> => {
  const end = performance.now() + ms;
  for (;;) {
    try {
      await ready();
      return;
    } catch (error) {
      if (performance.now() > end) throw new Error(`${what} not ready within ${ms} ms: ${(error as Error).message}`);
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
};

/* ---------------------------------------------------------------- Tributary */

/**
 * Tributary `Transport.KAFKA`, default options (what a user gets): 3 partitions, acks=all
 * idempotent producer, a consumer group on the service topic, up to 64 unsettled messages per
 * partition, offsets committed every 200 ms up to the contiguous prefix of settled (processed)
 * messages; `send` over the client's own reply topic, correlated by header.
 */
const onKafka =
  (start: TributaryStarter) =>
  (tag: string): Promise<BenchSystem> =>
    start(Transport.KAFKA, { brokers: BROKERS, topic: tag, timeout: SEND_TIMEOUT }, () => deleteKafka({ topics: [tag, `${tag}.dead-letter`], groups: [tag] }));
export const tributaryKafka = onKafka(tributaryService);

/** Tributary's Kafka transport layer alone (see `tributaryTransportLayer`). */
export const kafkaLayer = onKafka(tributaryTransportLayer);

/** What Tributary's client writes for an event: the JSON body and its `tributary.*` headers (id, timestamp, type; the correlation id is the id). */
export const tributaryRecord = (event: BenchEvent): FillRecord => ({
  value: Buffer.from(JSON.stringify({ type: event.type, payload: event.payload })),
  headers: { 'tributary.id': randomUUID(), 'tributary.timestamp': String(Date.now()), 'tributary.type': event.type },
});

/* ---------------------------------------------------------------- raw @platformatic/kafka */

/** Contiguous commit bookkeeping of the raw service: a partition commits up to its first unprocessed offset. */
class Processed {
  private readonly partitions = new Map<string, { topic: string; partition: number; done: Array<{ offset: bigint; done: boolean }>; head: number; commit?: bigint; moved: boolean }>();

  /** Records a fetched message; call the returned function once it is processed. */
  add(topic: string, partition: number, offset: bigint): () => void {
    const key = `${topic}:${partition}`;
    let p = this.partitions.get(key);
    if (!p) this.partitions.set(key, (p = { topic, partition, done: [], head: 0, moved: false }));
    const entry = { offset, done: false };
    p.done.push(entry);
    return () => {
      entry.done = true;
    };
  }

  /** The offsets to commit (those that moved since the last call). */
  take(): Array<{ topic: string; partition: number; offset: bigint; leaderEpoch: number }> {
    const out = [];
    for (const p of this.partitions.values()) {
      while (p.head < p.done.length && p.done[p.head]!.done) {
        p.commit = p.done[p.head++]!.offset + 1n;
        p.moved = true;
      }
      if (p.head > 1024) {
        p.done = p.done.slice(p.head);
        p.head = 0;
      }
      if (p.moved && p.commit !== undefined) out.push({ topic: p.topic, partition: p.partition, offset: p.commit, leaderEpoch: -1 });
      p.moved = false;
    }
    return out;
  }
}

const CORRELATION = 'correlation-id';
const REPLY_TO = 'reply-to';

/**
 * The raw `@platformatic/kafka` client doing what Tributary does with the same guarantees: an
 * acks=all idempotent producer per side, a consumer group on the service topic (3 partitions)
 * reading from the earliest offset, offsets committed every 200 ms up to the contiguous prefix
 * of processed messages (a reply counts as processed once the broker took it), JSON both ways,
 * request/reply over the client's reply topic (one partition) correlated by a header.
 */
export const rawPlatformatic = async (tag: string): Promise<BenchSystem> => {
  const { Consumer, Producer, MessagesStreamModes, MessagesStreamFallbackModes, stringSerializers, stringDeserializers } = platformatic();
  const replyTopic = `${tag}.reply`;
  await createTopics([tag]);
  await createTopics([replyTopic], 1);
  const serializers = { key: stringSerializers.key, headerKey: stringSerializers.headerKey, headerValue: stringSerializers.headerValue };
  const deserializers = { key: stringDeserializers.key, headerKey: stringDeserializers.headerKey, headerValue: stringDeserializers.headerValue };
  type P = PK.Producer<string, Buffer, string, string>;
  type C = PK.Consumer<string, Buffer, string, string>;
  type M = PK.Message<string, Buffer, string, string>;
  const producer = (id: string) => new Producer({ clientId: `${tag}-${id}`, bootstrapBrokers: BROKERS, idempotent: true, serializers } as any) as unknown as P;
  const consumer = (id: string, groupId: string) =>
    new Consumer({ clientId: `${tag}-${id}`, bootstrapBrokers: BROKERS, groupId, maxWaitTime: MAX_WAIT, deserializers } as any) as unknown as C;
  const consumeOptions = { mode: MessagesStreamModes.COMMITTED, fallbackMode: MessagesStreamFallbackModes.EARLIEST, autocommit: false, maxWaitTime: MAX_WAIT } as any;

  // the service
  const counter = new Counter();
  const serviceProducer = producer('service-producer');
  const serviceConsumer = consumer('service-consumer', tag);
  const processed = new Processed();
  const serviceStream = await serviceConsumer.consume({ topics: [tag], ...consumeOptions });
  serviceStream.on('data', (message: M) => {
    const done = processed.add(message.topic, message.partition, message.offset);
    const event = JSON.parse(message.value.toString()) as BenchEvent;
    if (event.type === 'OrderPlaced') {
      counter.hit();
      done();
    } else if (event.type === 'Ping') {
      const reply = Buffer.from(JSON.stringify({ type: 'Pong', payload: event.payload }));
      const to = message.headers.get(REPLY_TO)!;
      serviceProducer.send({ messages: [{ topic: to, value: reply, headers: { [CORRELATION]: message.headers.get(CORRELATION)! } }] } as any).then(done, () => undefined);
    } else done();
  });
  let committing = false;
  const commitTimer = setInterval(() => {
    if (committing) return;
    const offsets = processed.take();
    if (offsets.length === 0) return;
    committing = true;
    serviceConsumer
      .commit({ offsets })
      .catch(() => undefined)
      .finally(() => (committing = false));
  }, COMMIT_INTERVAL);

  // the client
  const clientProducer = producer('client-producer');
  const replyConsumer = consumer('client-replies', replyTopic);
  const pending = new Map<string, (reply: BenchEvent) => void>();
  const replyStream = await replyConsumer.consume({ topics: [replyTopic], ...consumeOptions });
  replyStream.on('data', (message: M) => {
    const id = message.headers.get(CORRELATION)!;
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(JSON.parse(message.value.toString()));
  });
  let next = 0;
  return {
    emit: { emit: event => clientProducer.send({ messages: [{ topic: tag, value: Buffer.from(JSON.stringify(event)) }] } as any), processed: counter },
    send: {
      send: event =>
        new Promise((resolve, reject) => {
          const id = String(next++);
          pending.set(id, resolve);
          clientProducer.send({ messages: [{ topic: tag, value: Buffer.from(JSON.stringify(event)), headers: { [CORRELATION]: id, [REPLY_TO]: replyTopic } }] } as any).catch(error => {
            pending.delete(id);
            reject(error);
          });
        }),
    },
    close: async () => {
      clearInterval(commitTimer);
      await replyStream.close().catch(() => undefined);
      await serviceStream.close().catch(() => undefined);
      const last = processed.take();
      if (last.length) await serviceConsumer.commit({ offsets: last }).catch(() => undefined);
      await Promise.allSettled([serviceConsumer.close(true), replyConsumer.close(true), serviceProducer.close(), clientProducer.close()]);
      await deleteKafka({ topics: [tag, replyTopic], groups: [tag, replyTopic] });
    },
  };
};

/** Raw clients write the event as it is: a JSON value, no headers. */
export const plainRecord = (event: BenchEvent): FillRecord => ({ value: Buffer.from(JSON.stringify(event)) });

/* ---------------------------------------------------------------- KafkaJS */

/** Resolves once `consumer` joined its group (KafkaJS `run` resolves before that). */
const joined = (consumer: KafkaJS.Consumer): Promise<void> =>
  within(new Promise<void>(resolve => consumer.on(consumer.events.GROUP_JOIN, () => resolve())), 30_000, 'the KafkaJS consumer group join');

/**
 * KafkaJS 2.2 doing the same job: an idempotent producer (acks=all) per side; the service's
 * consumer group reads its 3 partitions (`partitionsConsumedConcurrently: 3`) batch by batch,
 * processes a batch's messages concurrently (replies produced and acknowledged), then resolves
 * the batch's offsets, which KafkaJS commits after the batch (commit after processing). JSON
 * both ways; request/reply over the client's reply topic correlated by a header.
 */
export const rawKafkaJs = async (tag: string): Promise<BenchSystem> => {
  const { Kafka, logLevel } = kafkajs();
  const replyTopic = `${tag}.reply`;
  await createTopics([tag]);
  await createTopics([replyTopic], 1);
  const kafka = new Kafka({ clientId: tag, brokers: BROKERS, logLevel: logLevel.ERROR });
  const counter = new Counter();

  const serviceProducer = kafka.producer({ idempotent: true });
  const service = kafka.consumer({ groupId: tag, maxWaitTimeInMs: MAX_WAIT });
  await serviceProducer.connect();
  await service.connect();
  await service.subscribe({ topic: tag, fromBeginning: true });
  const serviceJoined = joined(service);
  await service.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch, heartbeat }) => {
      const replies: Array<Promise<unknown>> = [];
      for (const message of batch.messages) {
        const event = JSON.parse(message.value!.toString()) as BenchEvent;
        if (event.type === 'OrderPlaced') counter.hit();
        else if (event.type === 'Ping') {
          const reply = JSON.stringify({ type: 'Pong', payload: event.payload });
          replies.push(serviceProducer.send({ topic: String(message.headers![REPLY_TO]), acks: -1, messages: [{ value: reply, headers: { [CORRELATION]: message.headers![CORRELATION]! } }] }));
        }
      }
      await Promise.all(replies);
      await heartbeat();
    },
  });

  const clientProducer = kafka.producer({ idempotent: true });
  const replies = kafka.consumer({ groupId: replyTopic, maxWaitTimeInMs: MAX_WAIT });
  await clientProducer.connect();
  await replies.connect();
  await replies.subscribe({ topic: replyTopic, fromBeginning: true });
  const repliesJoined = joined(replies);
  const pending = new Map<string, (reply: BenchEvent) => void>();
  await replies.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const id = String(message.headers![CORRELATION]);
        const resolve = pending.get(id);
        pending.delete(id);
        resolve?.(JSON.parse(message.value!.toString()));
      }
    },
  });
  await Promise.all([serviceJoined, repliesJoined]);
  let next = 0;
  return {
    emit: { emit: event => clientProducer.send({ topic: tag, acks: -1, messages: [{ value: JSON.stringify(event) }] }), processed: counter },
    send: {
      send: event =>
        new Promise((resolve, reject) => {
          const id = String(next++);
          pending.set(id, resolve);
          clientProducer.send({ topic: tag, acks: -1, messages: [{ value: JSON.stringify(event), headers: { [CORRELATION]: id, [REPLY_TO]: replyTopic } }] }).catch(error => {
            pending.delete(id);
            reject(error);
          });
        }),
    },
    close: async () => {
      await Promise.allSettled([replies.disconnect(), service.disconnect()]);
      await Promise.allSettled([clientProducer.disconnect(), serviceProducer.disconnect()]);
      await deleteKafka({ topics: [tag, replyTopic], groups: [tag, replyTopic] });
    },
  };
};

/* ---------------------------------------------------------------- NestJS */

/** The topic a NestJS Kafka pattern reads: the pattern itself. */
export const nestTopic = (tag: string, type: string): string => `${tag}.${type}`;

/**
 * NestJS 12 `Transport.KAFKA` (KafkaJS 2.2 inside): `@EventPattern`/`@MessagePattern` on the
 * topics `<tag>.OrderPlaced` and `<tag>.Ping` (3 partitions each), replies on `<tag>.Ping.reply`
 * (`subscribeToResponseOf`). Same guarantees as Tributary: idempotent producers (acks=all,
 * KafkaJS's default acks), KafkaJS commits a message's offset after its handler (and its reply)
 * finished; `partitionsConsumedConcurrently: 3` (one partition at a time by default), and
 * `fromBeginning` on the fresh topics. Unlike Tributary, a partition's messages are handled
 * one at a time (each reply awaited before the next message).
 */
export const nestKafka = async (tag: string): Promise<BenchSystem> => {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const { ClientKafka, Transport: NestTransport } = require('@nestjs/microservices') as typeof NestMicroservices;
  const { logLevel } = kafkajs();
  const placed = nestTopic(tag, 'OrderPlaced');
  const ping = nestTopic(tag, 'Ping');
  await createTopics([placed, ping]);
  await createTopics([`${ping}.reply`], 1);
  const client = { clientId: tag, brokers: BROKERS, logLevel: logLevel.ERROR };
  const common = { client, producer: { idempotent: true }, subscribe: { fromBeginning: true }, consumer: { groupId: tag, maxWaitTimeInMs: MAX_WAIT } };
  class BenchClientKafka extends ClientKafka {
    constructor(options: any) {
      super(options);
      this.subscribeToResponseOf(ping);
    }
  }
  const system = await nestService(
    { transport: NestTransport.KAFKA, options: { ...common, run: { partitionsConsumedConcurrently: PARTITIONS } } } as MicroserviceOptions,
    { customClass: BenchClientKafka, options: common } as unknown as ClientOptions,
    false,
    `${tag}.`,
    () => deleteKafka({ topics: [placed, ping, `${ping}.reply`], groups: [`${tag}-server`, `${tag}-client`] }),
  );
  // the client needs its reply partition assigned, the server its partitions: one call answered
  await untilReady(() => within(system.send.send({ type: 'Ping', payload: { seq: -1 } } as BenchEvent), 3_000, 'a first call'), 30_000, 'NestJS Kafka').catch(async error => {
    await system.close().catch(() => undefined);
    throw error;
  });
  return system;
};

/* ---------------------------------------------------------------- Moleculer */

/**
 * Moleculer 0.15's Kafka transporter (`@platformatic/kafka` inside), given an idempotent producer
 * (acks=all; its default is acks=1): topics per packet type and node (`MOL-<ns>.EVENT.<node>`),
 * every message to partition 0. Its consumer **auto-commits** fetched offsets on an interval,
 * whether processed or not (at-most-once on a crash), and its group (the broker's instance id)
 * starts at the latest offset.
 */
export const moleculerKafka = (tag: string): Promise<BenchSystem> => {
  const namespace = tag.replace(/[^a-zA-Z0-9-]/g, '-');
  return moleculerService(
    { type: 'Kafka', options: { bootstrapBrokers: BROKERS, clientId: namespace, producer: { idempotent: true }, consumer: { maxWaitTime: MAX_WAIT } } },
    tag,
    () => deleteKafka({ prefixes: [`MOL-${namespace}.`] }),
  );
};

/* ---------------------------------------------------------------- the table */

const KAFKA_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = {
  tributary: tributaryKafka,
  raw: rawPlatformatic,
  kafkajs: rawKafkaJs,
  layer: kafkaLayer,
  nest: nestKafka,
  moleculer: moleculerKafka,
};

const unavailable = () => environment.kafka;

/** The Kafka systems, with how many operations each makes per run (the peers may be left out). */
export const kafkaSystems = (n: { tributary: number; raw: number; kafkajs: number; nest?: number; moleculer?: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'Transport.KAFKA', n: n.tributary, unavailable: () => environment.kafka ?? environment.tributaryKafka },
  { id: 'raw', side: 'raw', label: '@platformatic/kafka', n: n.raw, unavailable },
  { id: 'kafkajs', side: 'raw', label: 'KafkaJS', n: n.kafkajs, unavailable },
  { id: 'layer', side: 'raw', label: "Tributary's transport layer alone", n: n.tributary, unavailable, breakdown: true },
  ...(n.nest ? [{ id: 'nest', side: 'nest' as const, label: 'NestJS Kafka', n: n.nest, unavailable }] : []),
  ...(n.moleculer ? [{ id: 'moleculer', side: 'moleculer' as const, label: 'Moleculer Kafka', n: n.moleculer, unavailable }] : []),
];

/** Starts a Kafka system on fresh topics, runs `fn` on it, closes it (it deletes its topics and groups). */
export const withKafkaSystem = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = KAFKA_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown Kafka system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
