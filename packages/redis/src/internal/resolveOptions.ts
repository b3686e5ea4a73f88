import { hostname } from 'node:os';
import { reconnectDelay, resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import { CoreError } from '@tributary/core';
import type { RedisOptions } from 'ioredis';
import { DEFAULT_REDIS_OPTIONS, RedisMode, RedisStrategyOptions } from '../RedisStrategyOptions';
import { createRedisKeys, RedisKeys } from './keys';

/** Every option with its default filled in, plus the ioredis options to open clients with. */
export interface ResolvedRedisOptions extends ResolvedDeliveryOptions {
  readonly channel: string;
  readonly mode: RedisMode;
  readonly group: string;
  /** '' until a consumer connection gets its name (see `defaultConsumer`). */
  readonly consumer: string;
  readonly maxLen: number | false;
  readonly deadLetter: { stream: string; maxLen: number | false } | false;
  readonly claimIdleTime: number;
  readonly batchSize: number;
  readonly blockTime: number;
  /** streams: the idempotent producer's window, ms; 0: off. */
  readonly idempotenceWindow: number;
  readonly keys: RedisKeys;
  /** `redis://host:port`, credentials masked, for messages and logs. */
  readonly address: string;
  readonly client: RedisOptions;
  /** Redis Cluster seed nodes, or undefined for a single server. */
  readonly cluster?: ReadonlyArray<{ host: string; port: number }>;
  /** streams: replicas each `XADD` of a producer waits for (`WAIT`), 0 for none. */
  readonly replicas: number;
  readonly replicaTimeout: number;
}

const consumerCounters = new Map<string, number>();

/** `<host>:<pid>:<n>`: stable across restarts of the same process layout, unique inside one process. */
export const defaultConsumer = (channel: string): string => {
  const n = (consumerCounters.get(channel) ?? 0) + 1;
  consumerCounters.set(channel, n);
  return `${hostname()}:${process.pid}:${n}`;
};

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) {
    throw new CoreError(`@tributary/redis: option "${name}" must be a positive number of milliseconds or items, got ${value}.`, {
      context: 'redis.options',
    });
  }
  return value;
};

const windowOf = (value: number): number => {
  if (!Number.isInteger(value) || value < 0) {
    throw new CoreError(`@tributary/redis: option "idempotenceWindow" must be a whole number of milliseconds (0 turns the idempotent producer off), got ${value}.`, {
      context: 'redis.options',
    });
  }
  return value;
};

/** Reads `host` as a bare host name or a `redis://` / `rediss://` URL. */
const parseHost = (host: string): { host: string; port?: number; username?: string; password?: string; db?: number; tls: boolean } => {
  if (!/^rediss?:\/\//i.test(host)) return { host, tls: false };
  const url = new URL(host);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || DEFAULT_REDIS_OPTIONS.host,
    port: url.port ? Number(url.port) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : undefined,
    tls: url.protocol.toLowerCase() === 'rediss:',
  };
};

/** Validates options and fills the defaults. */
export const resolveOptions = (options: RedisStrategyOptions): ResolvedRedisOptions => {
  if (!options || typeof options.channel !== 'string' || options.channel === '') {
    throw new CoreError(
      '@tributary/redis: option "channel" is missing. Pass the service\'s channel, e.g. { host: "redis://127.0.0.1:6379", channel: "orders" }.',
      { context: 'redis.options' },
    );
  }
  const parsed = parseHost(options.host ?? DEFAULT_REDIS_OPTIONS.host);
  const port = options.port ?? parsed.port ?? DEFAULT_REDIS_OPTIONS.port;
  const password = options.password ?? parsed.password;
  const tls = options.tls ?? parsed.tls;
  const cluster = options.cluster?.length ? options.cluster.map(({ host, port }) => ({ host, port })) : undefined;
  const keys = createRedisKeys(options.keyPrefix ?? DEFAULT_REDIS_OPTIONS.keyPrefix, options.channel, cluster !== undefined);
  const replicas = options.replicas ?? 0;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new CoreError(`@tributary/redis: option "replicas" must be a whole number of replicas (0 for none), got ${replicas}.`, { context: 'redis.options' });
  }
  const maxLen = options.maxLen ?? DEFAULT_REDIS_OPTIONS.maxLen;
  const deadLetter = options.deadLetter ?? true;
  const credentials = parsed.username || password ? `${parsed.username ?? ''}:***@` : '';
  const client: RedisOptions = {
    retryStrategy: (times: number) => reconnectDelay(times, { initialDelay: 100, maxDelay: 5_000 }),
    ...options.redisOptions,
    host: parsed.host,
    port,
    ...(parsed.username !== undefined && { username: parsed.username }),
    ...(password !== undefined && { password }),
    ...(parsed.db !== undefined && { db: parsed.db }),
    ...(tls && { tls: tls === true ? {} : tls }),
    keyPrefix: undefined,
    lazyConnect: true,
  };
  return {
    channel: options.channel,
    mode: options.mode ?? DEFAULT_REDIS_OPTIONS.mode,
    ...resolveDeliveryOptions(options, '@tributary/redis', { timeout: DEFAULT_REDIS_OPTIONS.timeout }),
    group: options.group ?? options.channel,
    consumer: options.consumer ?? '',
    maxLen,
    deadLetter:
      deadLetter === false
        ? false
        : {
            stream: deadLetter === true || !deadLetter.channel ? keys.deadLetter : keys.prefixed(deadLetter.channel),
            maxLen: deadLetter === true || deadLetter.maxLen === undefined ? maxLen : deadLetter.maxLen,
          },
    claimIdleTime: positive('claimIdleTime', options.claimIdleTime ?? DEFAULT_REDIS_OPTIONS.claimIdleTime),
    batchSize: Math.floor(positive('batchSize', options.batchSize ?? DEFAULT_REDIS_OPTIONS.batchSize)),
    blockTime: positive('blockTime', options.blockTime ?? DEFAULT_REDIS_OPTIONS.blockTime),
    idempotenceWindow: windowOf(options.idempotenceWindow ?? DEFAULT_REDIS_OPTIONS.idempotenceWindow),
    keys,
    address: cluster
      ? `redis-cluster://${credentials}${cluster.map(node => `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`).join(',')}`
      : `${tls ? 'rediss' : 'redis'}://${credentials}${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${port}`,
    client,
    cluster,
    replicas,
    replicaTimeout: positive('replicaTimeout', options.replicaTimeout ?? 1_000),
  };
};
