import { Transport } from '@tributary/messaging';
import { deliveryConfig } from '@tributary/messaging/transport';
import type { TransportLayer } from '@tributary/messaging/transport';
import type { Amqp10StrategyOptions } from './Amqp10StrategyOptions';
import { Amqp10Connection } from './internal/Amqp10Connection';
import { Amqp10DeadLetters } from './internal/Amqp10DeadLetters';
import { resolveAmqp10Options } from './internal/resolveOptions';

/**
 * Creates the AMQP 1.0 transport layer (ActiveMQ Artemis and other AMQP 1.0 brokers, on rhea).
 * `@tributary/messaging` calls it for `Transport.AMQP10`; call it yourself to hand a layer to
 * tools or tests. `connect()` opens a connection (retrying up to `timeout` while the broker is
 * unreachable); a service attaches its receivers before it resolves (and consumes once
 * `message$` is subscribed). `openDeadLetters()` opens the dead-letter queue
 * (`<channel>.dead-letter`) for `redriveDeadLetters`.
 *
 * @example
 * ```ts
 * import { createTransportLayer } from '@tributary/amqp10';
 * const layer = createTransportLayer({ host: 'amqp://127.0.0.1:5673', channel: 'orders' });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.emitMessage('orders', { data: Buffer.from('{"type":"OrderPlaced"}'), type: 'OrderPlaced' });
 * await connection.close();
 * ```
 * @since 0.2.0
 * @category amqp10
 */
export const createTransportLayer = (options: Amqp10StrategyOptions): TransportLayer<Transport.AMQP10> => {
  const resolved = resolveAmqp10Options(options);
  return {
    type: Transport.AMQP10,
    config: {
      host: resolved.host,
      channel: resolved.channel,
      wire: 'body',
      durable: true,
      system: 'activemq',
      ...deliveryConfig(resolved),
    },
    connect: opts => new Amqp10Connection(resolved, opts?.isConsumer !== false).start(),
    openDeadLetters: () => Amqp10DeadLetters.open(resolved),
  };
};
