import { Transport } from '@tributary/messaging';
import { deliveryConfig } from '@tributary/messaging/transport';
import type { TransportLayer } from '@tributary/messaging/transport';
import type { AmqpStrategyOptions } from './AmqpStrategyOptions';
import { AmqpConnection } from './internal/AmqpConnection';
import { AmqpDeadLetters } from './internal/AmqpDeadLetters';
import { resolveAmqpOptions } from './internal/resolveOptions';

/**
 * Creates the RabbitMQ transport layer. `@tributary/messaging` calls it for
 * `Transport.AMQP`; call it yourself to hand a layer to tools or tests. `connect()` opens a
 * connection (retrying up to `timeout` while the broker is unreachable), declares the
 * topology (exchange, queue; for a consumer also the dead-letter and retry queues and the
 * `subscribe` bindings) and resolves the connection. `openDeadLetters()` opens the dead-letter
 * queue (`<queue>.dead-letter`) for `redriveDeadLetters`.
 *
 * @example
 * ```ts
 * import { createTransportLayer } from '@tributary/amqp';
 * const layer = createTransportLayer({ host: 'amqp://guest:guest@127.0.0.1:5672', queue: 'orders' });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.emitMessage('orders', { data: Buffer.from('{"type":"OrderPlaced"}'), type: 'OrderPlaced' });
 * await connection.close();
 * ```
 * @see createAmqpStrategy (the Marble.js v4 name)
 * @since 0.1.0
 * @category amqp
 */
export const createTransportLayer = (options: AmqpStrategyOptions): TransportLayer<Transport.AMQP> => {
  const resolved = resolveAmqpOptions(options);
  return {
    type: Transport.AMQP,
    config: {
      host: resolved.host,
      channel: resolved.queue,
      system: 'rabbitmq',
      wire: 'body',
      durable: true,
      ...deliveryConfig(resolved),
    },
    connect: opts => new AmqpConnection(resolved, opts?.isConsumer !== false).start(),
    openDeadLetters: () => AmqpDeadLetters.open(resolved),
  };
};

/**
 * The Marble.js v4 name of {@link createTransportLayer}.
 *
 * @example
 * ```ts
 * import { createAmqpStrategy } from '@tributary/amqp';
 * const layer = createAmqpStrategy({ host: 'amqp://127.0.0.1:5672', queue: 'orders' });
 * layer.config.channel; // 'orders'
 * ```
 * @since 0.1.0
 * @category amqp
 */
export const createAmqpStrategy = createTransportLayer;
