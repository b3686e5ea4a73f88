/*
 * Types only: the options of @tributary/redis, declared here so that createMicroservice checks
 * them without that package installed (TransportOptionsMap). @tributary/redis re-exports them.
 */
import type { DeliveryOptions } from '../transport/transportOptions';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';

/**
 * How the Redis transport carries messages:
 * - `pubsub` (default, as Marble.js): `PUBLISH`/`SUBSCRIBE`. Fast, **at-most-once**: a message
 *   sent while no instance listens, or lost with a connection, is gone; every running
 *   instance of a service receives every message.
 * - `streams`: Redis Streams with one consumer group per service. **At-least-once**: messages
 *   wait for a consumer, instances compete, entries are acknowledged after processing,
 *   retried with backoff, claimed from crashed consumers and dead-lettered.
 * @since 0.1.0
 * @category redis
 */
export type RedisMode = 'pubsub' | 'streams';

/**
 * Where dead letters go: a stream (`XADD ... MAXLEN ~ maxLen`), by default
 * `<keyPrefix><channel>:dead-letter`.
 *
 * @example
 * ```ts
 * import type { RedisStrategyOptions } from '@tributary/redis';
 * const options: RedisStrategyOptions = { channel: 'orders', mode: 'streams', deadLetter: { channel: 'orders:failed', maxLen: 10_000 } };
 * ```
 * @since 0.1.0
 * @category redis
 */
export interface RedisDeadLetterOptions {
  /** The dead-letter stream's name, before `keyPrefix` (default `<channel>:dead-letter`). */
  channel?: string;
  /** Approximate retention of the dead-letter stream; `false` keeps everything (default: `maxLen`). */
  maxLen?: number | false;
}

/**
 * Options of `Transport.REDIS`, for `createMicroservice` and `MessagingClient`. The names
 * `host`, `channel`, `port`, `password` and `timeout` are Marble.js v4's.
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * import type { RedisStrategyOptions } from '@tributary/redis';
 *
 * const options: RedisStrategyOptions = {
 *   host: 'redis://127.0.0.1:6379',
 *   channel: 'orders',
 *   mode: 'streams',
 *   subscribe: ['PaymentCaptured', 'inventory.*'],
 *   retry: { maxAttempts: 5, initialDelay: 200 },
 * };
 * // createMicroservice({ transport: Transport.REDIS, options, listener })
 * ```
 * @since 0.1.0
 * @category redis
 */
export interface RedisStrategyOptions extends DeliveryOptions {
  /**
   * The server: a host name (`'127.0.0.1'`) or a URL (`'redis://user:pass@host:6379/0'`,
   * `'rediss://...'` for TLS). Default `127.0.0.1`.
   */
  host?: string;
  /** This service's channel (pubsub channel or stream name), or the target service's for a client. */
  channel: string;
  /** Default 6379, or the URL's port. */
  port?: number;
  /** Default: none, or the URL's password. */
  password?: string;
  /** RPC timeout, manual-ack timeout, and how long `emit` waits for a lost connection, ms. Default 120 000. */
  timeout?: number;
  /** `pubsub` (default, lossy, Marble.js behaviour) or `streams` (durable, at-least-once). */
  mode?: RedisMode;
  /** Dead letters: `false` drops them (they are still reported on `error$`). Default: a stream. */
  deadLetter?: boolean | RedisDeadLetterOptions;
  /** streams: the consumer group of this service (default: `channel`). Instances of one service share it. */
  group?: string;
  /** streams: this instance's consumer name, stable across restarts if possible (default: `<host>:<pid>:<n>`). */
  consumer?: string;
  /** streams: approximate stream retention (`XADD ... MAXLEN ~`); `false` keeps everything. Default 100 000. */
  maxLen?: number | false;
  /**
   * streams: the idempotent producer's window, ms. An `emit`/`send`/`publish` whose
   * `metadata.id` was already added to the same stream within this window adds no second
   * entry (one Lua script records the id with the entry), so re-sending a message rejected
   * with `BrokerUnavailableError` (`maybeDelivered: true`) never duplicates it. `0` turns it
   * off (a plain `XADD`). Default 120 000. Redis Cluster: put a `{hash tag}` in `keyPrefix`
   * or `channel` (the id keys share the stream key's tag).
   */
  idempotenceWindow?: number;
  /** streams: how long (ms) the entries of a dead consumer wait before another claims them (`XAUTOCLAIM`); live consumers renew theirs. Default 30 000. */
  claimIdleTime?: number;
  /** streams: entries read per `XREADGROUP`, and the most in flight at once. Default 32. */
  batchSize?: number;
  /** streams: how long one blocking `XREADGROUP` waits, ms. Default 2 000. */
  blockTime?: number;
  /** Prefix of every key and channel this transport creates (e.g. `'tributary:'`). Default `''`. */
  keyPrefix?: string;
  /** TLS: `true`, or Node's `tls.connect` options. A `rediss://` host turns it on too. A certificate the client cannot verify fails the connection at once with `BrokerTlsError`. */
  tls?: boolean | TlsConnectionOptions;
  /**
   * Redis Cluster: the nodes to discover the cluster from (any few of them). When set, `host`
   * and `port` are ignored and every key of a service carries the hash tag `{<channel>}`, so
   * that its stream, group, retry and dead-letter keys live in one slot (see
   * docs/scaling-out.md). Default: none (a single server).
   */
  cluster?: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  /**
   * streams: after each `XADD` of `emit`/`send`/`publish`, wait (`WAIT`) until this many
   * replicas hold it, so that an acknowledged emit survives the loss of the master (Redis
   * replication is asynchronous). An emit that fewer replicas confirm within
   * `replicaTimeout` fails with `BrokerUnavailableError` (it may still be there: at-least-once).
   * Default 0: no waiting.
   */
  replicas?: number;
  /** How long `WAIT` waits for `replicas`, ms. Default 1 000. */
  replicaTimeout?: number;
  /** Passed through to ioredis (`db`, `username`, `retryStrategy`, `connectTimeout`, ...); `keyPrefix` is ignored, use `keyPrefix` above. */
  redisOptions?: Readonly<Record<string, unknown>>;
}
