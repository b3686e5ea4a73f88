import { deliveryConfig } from '@tributary/messaging/transport';
import { Transport } from '@tributary/messaging';
import type { TransportLayer } from '@tributary/messaging/transport';
import type { RedisStrategyOptions } from './RedisStrategyOptions';
import { defaultConsumer, resolveOptions } from './internal/resolveOptions';
import { RedisDeadLetters } from './internal/RedisDeadLetters';
import { RedisConnection } from './internal/RedisConnection';

/**
 * Creates the Redis transport layer (`Transport.REDIS`). `@tributary/messaging` calls it when
 * a microservice or client names `Transport.REDIS`; call it yourself to use a connection
 * directly. Messages are one JSON envelope `{ type, payload, error, metadata }` each.
 * `mode: 'pubsub'` (default) is Marble.js's fast, lossy pub/sub; `mode: 'streams'` is durable
 * (consumer groups, acknowledgements, retries, claims, dead-letter stream).
 *
 * @example
 * ```ts
 * import { createMicroservice, Transport } from '@tributary/messaging';
 * import { createTransportLayer } from '@tributary/redis';
 *
 * // usually implicit:
 * // createMicroservice({ transport: Transport.REDIS, options: { channel: 'orders', mode: 'streams' }, listener })
 * const layer = createTransportLayer({ host: 'redis://127.0.0.1:6379', channel: 'orders', mode: 'streams' });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.emitMessage('orders', { data: Buffer.from('{"type":"OrderPlaced","payload":{"id":1}}') });
 * await connection.close();
 * ```
 * @since 0.1.0
 * @category redis
 */
export const createTransportLayer = (options: RedisStrategyOptions): TransportLayer<Transport.REDIS> => {
  const resolved = resolveOptions(options);
  return {
    type: Transport.REDIS,
    config: {
      host: resolved.address,
      channel: resolved.channel,
      system: 'redis',
      wire: 'envelope',
      durable: resolved.mode === 'streams',
      // pub/sub: the reply address goes inside the envelope, so requests are framed by the mode
      framesRequests: resolved.mode === 'pubsub',
      ...deliveryConfig(resolved),
    },
    connect: opts => {
      const isConsumer = opts?.isConsumer !== false;
      // each connection gets its own consumer name unless one was given
      const named = resolved.consumer ? resolved : { ...resolved, consumer: defaultConsumer(resolved.channel) };
      return RedisConnection.open(named, options, isConsumer);
    },
    openDeadLetters: () => RedisDeadLetters.open(resolved),
  };
};

/**
 * Marble.js's name for {@link createTransportLayer}.
 *
 * @example
 * ```ts
 * import { createRedisStrategy } from '@tributary/redis';
 * const layer = createRedisStrategy({ host: 'redis://127.0.0.1', channel: 'orders' });
 * layer.config.durable; // false: pubsub mode
 * ```
 * @since 0.1.0
 * @category redis
 */
export const createRedisStrategy = createTransportLayer;
