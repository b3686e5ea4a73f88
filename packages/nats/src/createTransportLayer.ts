import { deliveryConfig, Transport } from '@tributary/messaging/transport';
import type { TransportLayer } from '@tributary/messaging/transport';
import type { NatsStrategyOptions } from '@tributary/messaging';
import { NatsConnection } from './internal/NatsConnection';
import { NatsDeadLetters } from './internal/NatsDeadLetters';
import { resolveNatsOptions } from './internal/resolveOptions';

/**
 * Creates the NATS JetStream transport layer (`Transport.NATS`). `@tributary/messaging`
 * calls it when a microservice or client names `Transport.NATS`; call it yourself to use a
 * connection directly. `connect()` connects (retrying up to `timeout` while the server is
 * unreachable) and creates what is missing: the stream of the channel, the dead-letter
 * stream and, for a service, its durable consumers (one for the channel, one per
 * `subscribe` pattern on the event stream).
 *
 * @example
 * ```ts
 * import { createTransportLayer } from '@tributary/nats';
 *
 * // usually implicit:
 * // createMicroservice({ transport: Transport.NATS, options: { host: 'nats://127.0.0.1:4222', channel: 'orders' }, listener })
 * const layer = createTransportLayer({ host: 'nats://127.0.0.1:4222', channel: 'orders' });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.emitMessage('orders', { data: Buffer.from('{"type":"OrderPlaced"}'), type: 'OrderPlaced', messageId: 'order-1' });
 * await connection.close();
 * ```
 * @since 0.2.0
 * @category nats
 */
export const createTransportLayer = (options: NatsStrategyOptions): TransportLayer<Transport.NATS> => {
  const resolved = resolveNatsOptions(options);
  return {
    type: Transport.NATS,
    config: {
      host: resolved.host,
      channel: resolved.channel,
      wire: 'body',
      durable: true,
      system: 'nats',
      ...deliveryConfig(resolved),
    },
    connect: opts => NatsConnection.open(resolved, opts?.isConsumer !== false),
    openDeadLetters: () => NatsDeadLetters.open(resolved),
  };
};

/**
 * Another name of {@link createTransportLayer}, in the style of the other transports'
 * `createXStrategy`.
 *
 * @example
 * ```ts
 * import { createNatsStrategy } from '@tributary/nats';
 * const layer = createNatsStrategy({ channel: 'orders' });
 * layer.config.host; // 'nats://127.0.0.1:4222'
 * ```
 * @since 0.2.0
 * @category nats
 */
export const createNatsStrategy = createTransportLayer;
