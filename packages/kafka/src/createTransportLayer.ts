import { Transport } from '@tributary/messaging';
import type { KafkaStrategyOptions } from '@tributary/messaging';
import { deliveryConfig } from '@tributary/messaging/transport';
import type { TransportLayer } from '@tributary/messaging/transport';
import { KafkaConnection } from './internal/KafkaConnection';
import { KafkaDeadLetters } from './internal/KafkaDeadLetters';
import { resolveKafkaOptions } from './internal/resolveOptions';

/**
 * Creates the Kafka transport layer (`Transport.KAFKA`). `@tributary/messaging` calls it when a
 * microservice or client names `Transport.KAFKA`; call it yourself to use a connection
 * directly. Events travel as the message value (`{ type, payload, error }` as JSON); metadata
 * travels in Kafka headers (`tributary.*`), `metadata.key` is the Kafka key.
 *
 * @example
 * ```ts
 * import { createTransportLayer } from '@tributary/kafka';
 *
 * // usually implicit:
 * // createMicroservice({ transport: Transport.KAFKA, options: { brokers: ['127.0.0.1:9092'], topic: 'orders' }, listener })
 * const layer = createTransportLayer({ brokers: ['127.0.0.1:9092'], topic: 'orders' });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.emitMessage('orders', { data: Buffer.from('{"type":"OrderPlaced","payload":{"id":1}}'), type: 'OrderPlaced', key: 'order-1' });
 * await connection.close();
 * ```
 * @since 0.2.0
 * @category kafka
 */
export const createTransportLayer = (options: KafkaStrategyOptions): TransportLayer<Transport.KAFKA> => {
  const resolved = resolveKafkaOptions(options);
  return {
    type: Transport.KAFKA,
    config: {
      host: resolved.address,
      channel: resolved.topic,
      wire: 'body',
      durable: true,
      system: 'kafka',
      ...deliveryConfig(resolved.delivery),
    },
    connect: opts => new KafkaConnection(resolved, options).open(opts?.isConsumer !== false),
    openDeadLetters: () => KafkaDeadLetters.open(resolved),
  };
};
