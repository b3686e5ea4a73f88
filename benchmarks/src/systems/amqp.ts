import { randomUUID } from 'node:crypto';
import * as amqplib from 'amqplib';
import { Transport } from '@tributary/messaging';
import { resolveRetryOptions, retryDelay } from '@tributary/messaging/transport';
import * as MM from '@marblejs/messaging';
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { AMQP_URL, environment } from '../harness/environment';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { marbleService, tributaryService } from './messagingSystems';
import { tributaryEnvelope } from './tributaryEnvelope';
import { moleculerService } from './moleculer';
import { nestAmqp } from './nest';
import { tributaryTransportLayer } from './transportLayerOnly';
import type { TributaryStarter } from './messagingSystems';

/** The reply address of RabbitMQ's direct reply-to. */
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** Deletes the queues a cell declared (a fresh connection: the cell's own may be gone). */
export const deleteQueues = async (queues: readonly string[]): Promise<void> => {
  const connection = await amqplib.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
  } finally {
    await connection.close().catch(() => undefined);
  }
};

/** Every queue a Tributary service on `queue` declares with default options. */
export const tributaryQueues = (queue: string): string[] => {
  const retry = resolveRetryOptions(undefined);
  const delays = new Set<number>();
  for (let attempt = 1; attempt < retry.maxAttempts; attempt++) delays.add(retryDelay(retry, attempt));
  return [queue, `${queue}.dead-letter`, ...[...delays].filter(d => d > 0).map(d => `${queue}.retry.${d}`)];
};

/** Tributary: `createMicroservice` on `Transport.AMQP` (default options) and a `MessagingClient`. */
const onAmqp =
  (start: TributaryStarter) =>
  (tag: string): Promise<BenchSystem> =>
    start(Transport.AMQP, { host: AMQP_URL, queue: tag, timeout: SEND_TIMEOUT }, () => deleteQueues(tributaryQueues(tag)));
export const tributaryAmqp = onAmqp(tributaryService);

/** Tributary's AMQP transport layer alone (see `tributaryTransportLayer`). */
export const amqpLayer = onAmqp(tributaryTransportLayer);

/**
 * What Tributary puts on the wire with each message, for the raw variant that carries it too:
 * an envelope with `metadata` (a UUID, the time, the correlation id, the cause), and the same
 * AMQP properties and `x-timestamp-ms` / `x-causation-id` headers.
 */
const withMetadata = (event: BenchEvent, extra: { correlationId?: string; replyTo?: string; causationId?: string } = {}): { body: Buffer; options: amqplib.Options.Publish } => {
  const { id, timestamp, correlationId, body } = tributaryEnvelope(event, extra);
  const headers: Record<string, unknown> = { 'x-timestamp-ms': timestamp };
  if (extra.causationId !== undefined) headers['x-causation-id'] = extra.causationId;
  const options: amqplib.Options.Publish = { contentType: 'application/json', persistent: true, headers, messageId: id, correlationId, type: event.type, timestamp: Math.floor(timestamp / 1000) };
  if (extra.replyTo !== undefined) options.replyTo = extra.replyTo;
  return { body: Buffer.from(body), options };
};

/**
 * Raw amqplib, doing the same job with the same guarantees: a durable queue, persistent
 * messages, a confirm channel for emits, acknowledgements after processing (prefetch 32, as
 * Tributary's default), JSON both ways, direct reply-to RPC, TCP_NODELAY. Client and service
 * have a connection each, as Tributary's have. With `metadata`, it also carries what Tributary
 * carries per message (`withMetadata`) and reads it back on receipt: the part of Tributary's
 * overhead that is the wire format, not the framework.
 */
export const rawAmqp = async (tag: string, metadata = false): Promise<BenchSystem> => {
  const counter = new Counter();
  const service = await amqplib.connect(AMQP_URL, { noDelay: true });
  const client = await amqplib.connect(AMQP_URL, { noDelay: true });
  const serviceChannel = await service.createChannel();
  await serviceChannel.assertQueue(tag, { durable: true });
  await serviceChannel.prefetch(32);
  await serviceChannel.consume(tag, message => {
    if (!message) return;
    const event = JSON.parse(message.content.toString());
    if (metadata) {
      // what a consumer reads back: the properties, the headers, the envelope's metadata
      const { properties } = message;
      const meta = event.metadata ?? {};
      meta.timestamp = Number(properties.headers?.['x-timestamp-ms'] ?? meta.timestamp);
      meta.id = String(properties.messageId);
      meta.correlationId = String(properties.correlationId);
    }
    if (event.type === 'OrderPlaced') counter.hit();
    else if (event.type === 'Ping') {
      const { correlationId, replyTo } = message.properties;
      if (metadata) {
        const { body, options } = withMetadata({ type: 'Pong', payload: event.payload }, { correlationId, causationId: event.metadata?.id });
        serviceChannel.sendToQueue(replyTo, body, options);
      } else {
        const reply = Buffer.from(JSON.stringify({ type: 'Pong', payload: event.payload }));
        serviceChannel.sendToQueue(replyTo, reply, { correlationId, contentType: 'application/json' });
      }
    }
    serviceChannel.ack(message);
  });
  const confirmChannel = await client.createConfirmChannel();
  const rpcChannel = await client.createChannel();
  const pending = new Map<string, (reply: BenchEvent) => void>();
  await rpcChannel.consume(
    DIRECT_REPLY_TO,
    message => {
      if (!message) return;
      const id = message.properties.correlationId as string;
      const resolve = pending.get(id);
      pending.delete(id);
      resolve?.(JSON.parse(message.content.toString()));
    },
    { noAck: true },
  );
  let next = 0;
  return {
    emit: {
      emit: event =>
        new Promise<void>((resolve, reject) => {
          const { body, options } = metadata ? withMetadata(event) : { body: Buffer.from(JSON.stringify(event)), options: { persistent: true, contentType: 'application/json' } };
          confirmChannel.sendToQueue(tag, body, options, error => (error ? reject(error) : resolve()));
        }),
      processed: counter,
    },
    send: {
      send: event =>
        new Promise(resolve => {
          const correlationId = metadata ? randomUUID() : String(next++);
          pending.set(correlationId, resolve);
          const { body, options } = metadata
            ? withMetadata(event, { correlationId, replyTo: DIRECT_REPLY_TO })
            : { body: Buffer.from(JSON.stringify(event)), options: { correlationId, replyTo: DIRECT_REPLY_TO, persistent: true, contentType: 'application/json' } };
          rpcChannel.sendToQueue(tag, body, options);
        }),
    },
    close: async () => {
      await client.close().catch(() => undefined);
      await serviceChannel.deleteQueue(tag).catch(() => undefined);
      await service.close().catch(() => undefined);
    },
  };
};

/**
 * Marble.js 4.1.0 on `Transport.AMQP`, with Tributary's prefetch (Marble's default is 1) and a
 * durable queue, with its own `amqp-connection-manager`.
 */
export const marbleAmqp = (tag: string): Promise<BenchSystem> =>
  marbleService(
    {
      transport: MM.Transport.AMQP,
      options: { host: AMQP_URL, queue: tag, queueOptions: { durable: true }, prefetchCount: 32, timeout: SEND_TIMEOUT },
    },
    () => deleteQueues([tag]),
  );

/** NestJS 12 RMQ: durable queue, persistent messages, confirms (amqp-connection-manager), prefetch 32, acks after the handler. */
export const nestAmqpSystem = (tag: string): Promise<BenchSystem> => nestAmqp(AMQP_URL, tag, () => deleteQueues([tag]));

/**
 * Moleculer 0.15 with its AMQP transporter, prefetch 32 (its default is 1) and TCP_NODELAY (without
 * it, each call waits ~40 ms on delayed ACKs). Requests are acked after the action; events go to a
 * per-node queue consumed with `noAck` (at-most-once); no publisher confirms.
 */
export const moleculerAmqp = (tag: string): Promise<BenchSystem> =>
  moleculerService({ type: 'AMQP', options: { url: AMQP_URL, prefetch: 32, socketOptions: { noDelay: true } } }, tag);

const AMQP_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = {
  tributary: tributaryAmqp,
  raw: tag => rawAmqp(tag),
  'raw-metadata': tag => rawAmqp(tag, true),
  layer: amqpLayer,
  marble: marbleAmqp,
  nest: nestAmqpSystem,
  moleculer: moleculerAmqp,
};

/** The AMQP systems, with how many operations each makes per run. */
export const amqpSystems = (n: { tributary: number; raw: number; marble: number; nest?: number; moleculer?: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'Transport.AMQP', n: n.tributary, unavailable: () => environment.rabbitmq ?? environment.tributaryAmqp },
  { id: 'raw', side: 'raw', label: 'amqplib', n: n.raw, unavailable: () => environment.rabbitmq },
  { id: 'raw-metadata', side: 'raw', breakdown: true, label: "amqplib + Tributary's metadata", n: n.raw, unavailable: () => environment.rabbitmq },
  { id: 'layer', side: 'raw', breakdown: true, label: "Tributary's transport layer alone", n: n.tributary, unavailable: () => environment.rabbitmq },
  { id: 'marble', side: 'marble', label: 'Marble.js AMQP', n: n.marble, unavailable: () => environment.rabbitmq },
  { id: 'nest', side: 'nest', label: 'NestJS RMQ', n: n.nest ?? n.raw, unavailable: () => environment.rabbitmq },
  { id: 'moleculer', side: 'moleculer', label: 'Moleculer AMQP', n: n.moleculer ?? n.raw, unavailable: () => environment.rabbitmq },
];

/** Starts an AMQP system on fresh queues, runs `fn` on it, closes it and deletes its queues. */
export const withAmqpSystem = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = AMQP_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown AMQP system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
