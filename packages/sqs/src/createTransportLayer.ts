import { Transport } from '@tributary/messaging';
import { deliveryConfig } from '@tributary/messaging/transport';
import type { TransportLayer } from '@tributary/messaging/transport';
import type { SqsStrategyOptions } from './SqsStrategyOptions';
import { resolveSqsOptions } from './internal/resolveOptions';
import { SqsConnection } from './internal/SqsConnection';
import { SqsDeadLetters } from './internal/SqsDeadLetters';

/**
 * Creates the Amazon SQS transport layer. `@tributary/messaging` calls it for
 * `Transport.SQS`; call it yourself to hand a layer to tools or tests. `connect()` creates
 * what is missing (retrying up to `timeout` while SQS is unreachable): for a service its
 * queue, the dead-letter queue with a redrive policy and, with `subscribe`, its SNS
 * subscription; for a client the target queue. `openDeadLetters()` opens the dead-letter
 * queue for `redriveDeadLetters`.
 *
 * @example
 * ```ts
 * import { createTransportLayer } from '@tributary/sqs';
 * const layer = createTransportLayer({ host: 'http://127.0.0.1:9324', channel: 'orders', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.emitMessage('orders', { data: Buffer.from('{"type":"OrderPlaced"}'), type: 'OrderPlaced' });
 * await connection.close();
 * ```
 * @since 0.2.0
 * @category sqs
 */
export const createTransportLayer = (options: SqsStrategyOptions): TransportLayer<Transport.SQS> => {
  const resolved = resolveSqsOptions(options);
  return {
    type: Transport.SQS,
    config: {
      host: resolved.host,
      channel: resolved.channel,
      wire: 'body',
      durable: true,
      system: 'aws_sqs',
      ...deliveryConfig(resolved),
    },
    connect: opts => SqsConnection.open(resolved, opts?.isConsumer !== false),
    openDeadLetters: () => SqsDeadLetters.open(resolved),
  };
};
