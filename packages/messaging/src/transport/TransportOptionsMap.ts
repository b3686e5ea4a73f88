import type { LocalStrategyOptions } from '../local/createLocalTransportLayer';
import type { AmqpStrategyOptions } from '../options/AmqpStrategyOptions';
import type { MqttStrategyOptions } from '../options/MqttStrategyOptions';
import type { Amqp10StrategyOptions } from '../options/Amqp10StrategyOptions';
import type { RedisStrategyOptions } from '../options/RedisStrategyOptions';
import type { SqsStrategyOptions } from '../options/SqsStrategyOptions';
import type { NatsStrategyOptions } from '../options/NatsStrategyOptions';
import type { KafkaStrategyOptions } from '../options/KafkaStrategyOptions';
import type { TransportProvider } from './provideTransportLayer';
import type { Transport } from './Transport';

/**
 * The options type of each `Transport.X`, so that `createMicroservice` and `MessagingClient`
 * check a transport's options without importing its package. The first-party option types are
 * declared in `@tributary/messaging` (types only); a transport package adds its entry by module
 * augmentation:
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * interface MyOptions { url: string; channel: string }
 * declare module '@tributary/messaging' {
 *   interface TransportOptionsMap {
 *     [Transport.TCP]: MyOptions;
 *   }
 * }
 * ```
 * @since 0.2.0
 * @category transport
 */
export interface TransportOptionsMap {
  [Transport.LOCAL]: LocalStrategyOptions;
  [Transport.AMQP]: AmqpStrategyOptions;
  [Transport.REDIS]: RedisStrategyOptions;
  [Transport.SQS]: SqsStrategyOptions;
  [Transport.NATS]: NatsStrategyOptions;
  [Transport.KAFKA]: KafkaStrategyOptions;
  [Transport.MQTT]: MqttStrategyOptions;
  [Transport.AMQP10]: Amqp10StrategyOptions;
}

/**
 * The options of a transport: from `TransportOptionsMap` for `Transport.X`, from the provider's
 * `createTransportLayer` for a provider object.
 *
 * @example
 * ```ts
 * import { Transport, TransportOptions } from '@tributary/messaging';
 * const options: TransportOptions<Transport.AMQP> = { host: 'amqp://127.0.0.1:5672', queue: 'orders' };
 * ```
 * @since 0.2.0
 * @category transport
 */
export type TransportOptions<T> = T extends TransportProvider<infer O>
  ? O
  : T extends keyof TransportOptionsMap
    ? TransportOptionsMap[T]
    : Readonly<Record<string, unknown>>;
