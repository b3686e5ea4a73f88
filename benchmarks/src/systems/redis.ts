import Redis from 'ioredis';
import { Transport } from '@tributary/messaging';
import * as MM from '@marblejs/messaging';
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { environment, REDIS_URL } from '../harness/environment';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { marbleService, tributaryService } from './messagingSystems';
import type { TributaryStarter } from './messagingSystems';
import { moleculerService } from './moleculer';
import { nestRedis } from './nest';
import { tributaryEnvelope } from './tributaryEnvelope';
import { tributaryTransportLayer } from './transportLayerOnly';

/** Deletes every key whose name starts with the cell's tag. */
export const deleteKeys = async (tag: string): Promise<void> => {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${tag}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};

/** Waits until the consumer group has no entry waiting for XACK (bounded). */
const nothingPending = async (stream: string, group: string, timeoutMs = 10_000): Promise<void> => {
  const redis = new Redis(REDIS_URL);
  try {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const [count] = (await redis.xpending(stream, group)) as [number];
      if (Number(count) === 0) return;
      await new Promise(resolve => setTimeout(resolve, 2));
    }
  } finally {
    redis.disconnect();
  }
};

/** Tributary on `Transport.REDIS` (`mode: 'pubsub'` or `'streams'`), default options otherwise, started by `start`. */
const onRedis =
  (start: TributaryStarter) =>
  (mode: 'pubsub' | 'streams') =>
  (tag: string): Promise<BenchSystem> =>
    start(
      Transport.REDIS,
      { host: REDIS_URL, channel: tag, mode, timeout: SEND_TIMEOUT },
      () => deleteKeys(tag),
      mode === 'streams' ? () => nothingPending(tag, tag) : undefined,
    );

/** Tributary on `Transport.REDIS`. */
export const tributaryRedis = onRedis(tributaryService);

/** Tributary's Redis transport layer alone (see `tributaryTransportLayer`). */
export const redisLayer = onRedis(tributaryTransportLayer);

/**
 * Raw ioredis pub/sub: JSON envelopes published to the service channel; RPC with a
 * correlation id and a reply channel the client subscribed to before sending. With
 * `metadata`, every message carries what Tributary's carries (`tributaryEnvelope`: a UUID,
 * the time, the correlation id, the cause, the reply address) and the receiver reads it back:
 * the part of Tributary's overhead that is the wire format, not the framework.
 */
export const rawRedisPubSub = async (tag: string, metadata = false): Promise<BenchSystem> => {
  const counter = new Counter();
  const replyChannel = `${tag}:reply`;
  const [servicePub, serviceSub, clientPub, clientSub] = [0, 1, 2, 3].map(() => new Redis(REDIS_URL));
  serviceSub.on('message', (_channel: string, text: string) => {
    const event = JSON.parse(text);
    if (event.type === 'OrderPlaced') counter.hit();
    else if (event.type === 'Ping') {
      const { correlationId, replyTo, id } = event.metadata;
      const reply = metadata
        ? tributaryEnvelope({ type: 'Pong', payload: event.payload }, { correlationId, causationId: id }).body
        : JSON.stringify({ type: 'Pong', payload: event.payload, metadata: { correlationId } });
      servicePub.publish(replyTo, reply);
    }
  });
  await serviceSub.subscribe(tag);
  const pending = new Map<string, (reply: BenchEvent) => void>();
  clientSub.on('message', (_channel: string, text: string) => {
    const reply = JSON.parse(text);
    const id = reply.metadata.correlationId as string;
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(reply);
  });
  await clientSub.subscribe(replyChannel);
  let next = 0;
  return {
    emit: { emit: event => clientPub.publish(tag, metadata ? tributaryEnvelope(event).body : JSON.stringify(event)), processed: counter },
    send: {
      send: event =>
        new Promise(resolve => {
          if (metadata) {
            const { correlationId, body } = tributaryEnvelope(event, { replyTo: replyChannel });
            pending.set(correlationId, resolve);
            clientPub.publish(tag, body);
            return;
          }
          const correlationId = String(next++);
          pending.set(correlationId, resolve);
          clientPub.publish(tag, JSON.stringify({ ...event, metadata: { correlationId, replyTo: replyChannel } }));
        }),
    },
    close: async () => {
      for (const redis of [servicePub, serviceSub, clientPub, clientSub]) redis.disconnect();
    },
  };
};

/**
 * What Tributary's idempotent producer runs per emit (`idempotenceWindow`, on by default): add
 * the entry unless its message id was added within the window, and note the id. Written here
 * for the raw variant that does the same work; not Tributary's code.
 */
const IDEMPOTENT_XADD = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
redis.call('SET', KEYS[2], id, 'PX', tonumber(ARGV[1]))
return 0`;

/**
 * Raw ioredis streams, with Tributary's defaults: XADD with `MAXLEN ~ 100000`, one consumer
 * group, XREADGROUP of up to 32 entries, XACK once processed (one XACK per batch read). With
 * `sameWork`, it also does what Tributary does per message beyond that: the envelope with its
 * metadata and the routing fields (`type`, `id`, `correlationId`), the idempotent add (a script
 * that checks and notes the message id, `IDEMPOTENT_XADD`), and an XACK per entry once that
 * entry is processed (settlement per message, not per batch).
 */
export const rawRedisStreams = async (tag: string, sameWork = false): Promise<BenchSystem> => {
  const counter = new Counter();
  const producer = new Redis(REDIS_URL);
  const consumer = new Redis(REDIS_URL);
  // the per-entry XACKs of `sameWork` go out on their own auto-pipelined connection
  const acker = sameWork ? new Redis(REDIS_URL, { enableAutoPipelining: true }) : undefined;
  const group = tag;
  await consumer.xgroup('CREATE', tag, group, '$', 'MKSTREAM');
  producer.defineCommand('idempotentXadd', { numberOfKeys: 2, lua: IDEMPOTENT_XADD });
  const idempotentXadd = (producer as unknown as { idempotentXadd(...args: Array<string | number>): Promise<number> }).idempotentXadd.bind(producer);
  let running = true;
  const loop = (async () => {
    while (running) {
      const result = (await consumer.xreadgroup('GROUP', group, 'c1', 'COUNT', 32, 'BLOCK', 200, 'STREAMS', tag, '>').catch(() => null)) as
        | [string, [string, string[]][]][]
        | null;
      if (!result) continue;
      const entries = result[0][1];
      const ids = new Array<string>(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const [id, fields] = entries[i];
        const event = JSON.parse(fields[1]);
        if (event.type === 'OrderPlaced') counter.hit();
        if (acker) void acker.xack(tag, group, id);
        ids[i] = id;
      }
      if (!acker && ids.length) await consumer.xack(tag, group, ...ids);
    }
  })();
  const emit = (event: BenchEvent): Promise<unknown> => {
    if (!sameWork) return producer.xadd(tag, 'MAXLEN', '~', 100_000, '*', 'event', JSON.stringify(event));
    const { id, correlationId, body } = tributaryEnvelope(event);
    return idempotentXadd(tag, `${tag}:produced:${id}`, 120_000, 100_000, 'data', body, 'type', event.type, 'id', id, 'correlationId', correlationId);
  };
  return {
    emit: { emit, processed: counter, settled: () => nothingPending(tag, group) },
    send: { send: () => Promise.reject(new Error('no RPC over raw streams')) },
    close: async () => {
      running = false;
      consumer.disconnect();
      await loop;
      acker?.disconnect();
      await deleteKeys(tag);
      producer.disconnect();
    },
  };
};

/** Marble.js 4.1.0 on `Transport.REDIS` (pub/sub, the `redis` v3 client). */
export const marbleRedis = (tag: string): Promise<BenchSystem> =>
  marbleService({ transport: MM.Transport.REDIS, options: { host: REDIS_URL, channel: tag, timeout: SEND_TIMEOUT } });

const REDIS_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = {
  tributary: tributaryRedis('pubsub'),
  'tributary-streams': tributaryRedis('streams'),
  raw: tag => rawRedisPubSub(tag),
  'raw-metadata': tag => rawRedisPubSub(tag, true),
  layer: redisLayer('pubsub'),
  'streams-layer': redisLayer('streams'),
  'raw-streams': tag => rawRedisStreams(tag),
  'raw-streams-same-work': tag => rawRedisStreams(tag, true),
  marble: marbleRedis,
  nest: (tag: string) => nestRedis(REDIS_URL, tag),
  moleculer: (tag: string) => moleculerService(REDIS_URL, tag),
};

const tributaryReady = () => environment.redis ?? environment.tributaryRedis;

/** The Redis pub/sub systems, with how many operations each makes per run. */
export const redisSystems = (n: { tributary: number; raw: number; marble: number; nest?: number; moleculer?: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: "Transport.REDIS, mode 'pubsub'", n: n.tributary, unavailable: tributaryReady },
  { id: 'raw', side: 'raw', label: 'ioredis pub/sub', n: n.raw, unavailable: () => environment.redis },
  { id: 'raw-metadata', side: 'raw', breakdown: true, label: "ioredis pub/sub + Tributary's metadata", n: n.raw, unavailable: () => environment.redis },
  { id: 'layer', side: 'raw', breakdown: true, label: "Tributary's transport layer alone", n: n.tributary, unavailable: tributaryReady },
  { id: 'marble', side: 'marble', label: 'Marble.js Redis', n: n.marble, unavailable: () => environment.redis },
  { id: 'nest', side: 'nest', label: 'NestJS Redis', n: n.nest ?? n.raw, unavailable: () => environment.redis },
  { id: 'moleculer', side: 'moleculer', label: 'Moleculer Redis', n: n.moleculer ?? n.raw, unavailable: () => environment.redis },
];

/** The Redis streams systems (Marble.js has no streams). */
export const redisStreamsSystems = (n: { tributary: number; raw: number }): SystemSpec[] => [
  { id: 'tributary-streams', side: 'tributary', label: "Transport.REDIS, mode 'streams'", n: n.tributary, unavailable: tributaryReady },
  { id: 'raw-streams', side: 'raw', label: 'ioredis XADD/XREADGROUP/XACK', n: n.raw, unavailable: () => environment.redis },
  {
    id: 'raw-streams-same-work',
    side: 'raw',
    breakdown: true,
    label: 'ioredis + envelope, idempotent add, XACK per entry',
    n: n.raw,
    unavailable: () => environment.redis,
  },
  { id: 'streams-layer', side: 'raw', breakdown: true, label: "Tributary's transport layer alone", n: n.tributary, unavailable: tributaryReady },
];

/** Starts a Redis system on fresh channels/streams, runs `fn` on it, closes it and deletes its keys. */
export const withRedisSystem = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = REDIS_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown Redis system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
