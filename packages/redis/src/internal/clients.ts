import Redis, { Cluster } from 'ioredis';
import { BrokerUnavailableError } from '@tributary/messaging';
import { BrokerAuthError, reconnectDelay, tlsFailure } from '@tributary/messaging/transport';
import { redactCredentials } from './redactCredentials';
import type { ResolvedRedisOptions } from './resolveOptions';
import { Deadline, Deadlines } from './Deadlines';

/** What a client is for: commands, blocking stream reads, or pub/sub. */
export type ClientRole = 'command' | 'reader' | 'subscriber';

/**
 * Opens an ioredis client (not yet connected). Named `tributary:<channel>:<role>` so it shows in
 * `CLIENT LIST`. Commands wait across reconnections (`maxRetriesPerRequest: null`): a message
 * or an acknowledgement is never dropped by a short outage; callers bound their own waits.
 */
export const createClient = (options: ResolvedRedisOptions, role: ClientRole): Redis => {
  if (options.cluster) return createClusterClient(options, role);
  const client = new Redis({
    maxRetriesPerRequest: null,
    // how long a closed connection's socket may linger before it is destroyed (ioredis: 2 s)
    disconnectTimeout: 500,
    connectionName: `tributary:${options.channel}:${role}`.replace(/\s/g, '_'),
    // streams: the commands of one tick (XADDs of an emit burst, XACKs) go out in one write.
    // Not in pub/sub mode: there a PUBLISH is one command per message, and the pipeline a
    // tick builds cost a sequential send ~15 % more CPU than a plain write (measured), while
    // an emit burst was no faster with it. `options.client` may set it either way.
    enableAutoPipelining: role === 'command' && options.mode === 'streams',
    ...options.client,
  });
  // first listener: a failed AUTH's password is masked before anyone else sees the error
  client.on('error', redactCredentials);
  return client;
};

/**
 * A Redis Cluster client (ioredis `Cluster`: one connection per node, commands routed by slot,
 * `MOVED`/`ASK` followed, slots refreshed after a failover). It is used through the `Redis`
 * type: the commands the transport sends exist on both, and the places where a cluster must
 * be treated otherwise test `options.cluster` (cross-slot settlements, per-slot reads).
 */
const createClusterClient = (options: ResolvedRedisOptions, role: ClientRole): Redis => {
  const { host: _host, port: _port, retryStrategy: _retry, lazyConnect: _lazy, keyPrefix: _prefix, ...node } = options.client;
  const cluster = new Cluster(options.cluster!.map(({ host, port }) => ({ host, port })), {
    lazyConnect: true,
    enableAutoPipelining: role === 'command' && options.mode === 'streams',
    // service and reply channels are sharded (SSUBSCRIBE on the node owning each channel)
    shardedSubscribers: role === 'subscriber',
    clusterRetryStrategy: (times: number) => reconnectDelay(times, { initialDelay: 100, maxDelay: 5_000 }),
    // a failover takes the cluster's node timeout and an election: retry through it (~15 s)
    retryDelayOnFailover: 300,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    maxRedirections: 50,
    slotsRefreshTimeout: 2_000,
    redisOptions: {
      maxRetriesPerRequest: null,
      disconnectTimeout: 500,
      connectionName: `tributary:${options.channel}:${role}`.replace(/\s/g, '_'),
      ...node,
    },
  });
  cluster.on('error', redactCredentials);
  return cluster as unknown as Redis;
};

/** `PUBLISH`, or `SPUBLISH` for a sharded channel (Redis Cluster: one node per channel, order kept). */
export const publishTo = (client: Redis, sharded: boolean, channel: string, data: Buffer): Promise<unknown> =>
  sharded ? client.spublish(channel, data) : client.publish(channel, data);

/** Redis refused the credentials (`AUTH`): `WRONGPASS` (6+), `ERR invalid password` (before), `NOAUTH` (none given). */
const isAuthRefusal = (error: unknown): boolean => /WRONGPASS|NOAUTH|invalid password/.test(String((error as Error)?.message));

/**
 * What does not heal by reconnecting, as the error to fail with at once: a failed TLS handshake
 * (`BrokerTlsError`: an untrusted or expired certificate...) or refused credentials
 * (`BrokerAuthError`); else undefined (keep trying). `address` has its password masked, and
 * the `AUTH` arguments of the cause are masked by `redactCredentials`.
 */
export const permanentFailure = (error: unknown, address: string): Error | undefined =>
  tlsFailure(error, address) ??
  (isAuthRefusal(error) ? new BrokerAuthError(address, error, 'the `password` option (or the password in `host`, `redis://:password@host`; a user name: `client.username`)') : undefined);

/**
 * Resolves once `client` is ready; rejects with `BrokerUnavailableError` after `timeout` ms
 * (never, for `Infinity`) or when it is closed, and at once with `BrokerTlsError` or
 * `BrokerAuthError` when retrying cannot help (see `permanentFailure`).
 */
export const whenReady = (client: Redis, timeout: number, address: string): Promise<void> => {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const onError = (error: unknown): void => {
      lastError = error;
      const permanent = permanentFailure(error, address);
      if (permanent) done(permanent);
    };
    const done = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => done();
    const onEnd = (): void => done(new BrokerUnavailableError(address, timeout, lastError));
    const timer = Number.isFinite(timeout) ? setTimeout(() => done(new BrokerUnavailableError(address, timeout, lastError)), timeout) : undefined;
    client.on('ready', onReady);
    client.on('error', onError);
    client.once('end', onEnd);
    if (client.status === 'wait') client.connect().catch(onError);
  });
};

/** Waits for `promise`, failing with `BrokerUnavailableError` after `timeout` ms (the work itself goes on). */
export const orUnavailable = async <T>(promise: Promise<T>, timeout: number, address: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BrokerUnavailableError(address, timeout)), timeout)))]);
  } finally {
    clearTimeout(timer);
  }
};

const deadlines = new WeakMap<Redis, Deadlines>();

/** Runs `command` once the client is ready, failing with `BrokerUnavailableError` after `timeout` ms in all. */
export const withinTimeout = <T>(client: Redis, timeout: number, address: string, command: () => Promise<T>): Promise<T> => {
  if (client.status !== 'ready' || !Number.isFinite(timeout)) return waitThenRun(client, timeout, address, command);
  let watch = deadlines.get(client);
  if (!watch) deadlines.set(client, (watch = new Deadlines(Math.max(25, Math.min(1000, Math.floor(timeout / 4))))));
  const dog = watch;
  return new Promise<T>((resolve, reject) => {
    const entry: Deadline = { deadline: Date.now() + timeout, done: false, expire: () => reject(new BrokerUnavailableError(address, timeout)) };
    dog.add(entry);
    command().then(
      value => {
        entry.done = true;
        resolve(value);
      },
      error => {
        entry.done = true;
        reject(error);
      },
    );
  });
};

const waitThenRun = async <T>(client: Redis, timeout: number, address: string, command: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  await whenReady(client, timeout, address);
  return orUnavailable(command(), Math.max(1, timeout - (Date.now() - started)), address);
};

/** Waits for `promise` (its failure included), `ms` at most. */
export const settleWithin = async (promise: Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

/** Closes a client: politely (`QUIT`, after its pending replies, `ms` at most) when connected, at once otherwise. */
export const quitClient = async (client: Redis, ms: number): Promise<void> => {
  if (client.status === 'end') return;
  if (client.status === 'ready') await settleWithin(client.quit(), ms);
  // not connected (an outage), or QUIT did not finish: drop it, failing what it still holds
  if ((client.status as string) !== 'end') client.disconnect();
};
