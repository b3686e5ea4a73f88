import { expectTypeOf } from 'expect-type';
import {
  createMicroservice,
  LocalBroker,
  messagingListener,
  MessagingClient,
  Transport,
  TransportOptions,
  AmqpStrategyOptions,
  RedisStrategyOptions,
  SqsStrategyOptions,
} from '@tributary/messaging';
import type { TransportProvider } from '@tributary/messaging/transport';

// This file only imports @tributary/messaging: the options of every first-party transport are
// checked without importing its package. Each `@ts-expect-error` fails the type-check (npm test
// runs `tsc -p tsconfig.check.json`) if the line it marks ever compiles.
const listener = messagingListener({});

export const typeChecks = () => {
  // @ts-expect-error queue must be a string
  void createMicroservice({ transport: Transport.AMQP, options: { host: 'amqp://127.0.0.1', queue: 1 }, listener });
  // @ts-expect-error AMQP has no `channel`, it has `queue`
  void createMicroservice({ transport: Transport.AMQP, options: { host: 'amqp://127.0.0.1', channel: 'orders' }, listener });
  // @ts-expect-error Redis mode is 'pubsub' | 'streams'
  void createMicroservice({ transport: Transport.REDIS, options: { channel: 'orders', mode: 'kafka' }, listener });
  // @ts-expect-error AMQP 1.0 takes `channel` (not `queue`) and a numeric `credit`
  void createMicroservice({ transport: Transport.AMQP10, options: { host: 'amqp://127.0.0.1:5673', channel: 'orders', credit: '10' }, listener });
  // @ts-expect-error SQS has no `queue`, it has `channel`
  void createMicroservice({ transport: Transport.SQS, options: { host: 'http://127.0.0.1:9324', queue: 'orders' }, listener });
  // @ts-expect-error the visibility timeout is a number of seconds
  void MessagingClient({ transport: Transport.SQS, options: { channel: 'orders', visibilityTimeout: '30s' } });
  // @ts-expect-error the local broker is a LocalBroker
  void createMicroservice({ transport: Transport.LOCAL, options: { channel: 'orders', broker: 'default' }, listener });
  // @ts-expect-error the same checks on clients
  void MessagingClient({ transport: Transport.AMQP, options: { host: 'amqp://127.0.0.1', queue: 1 } });
  // @ts-expect-error delivery options are checked on every transport
  void MessagingClient({ transport: Transport.REDIS, options: { channel: 'orders', retry: { maxAttempts: 'three' } } });

  // what is right compiles
  void createMicroservice({ transport: Transport.AMQP, options: { host: 'amqp://127.0.0.1', queue: 'orders', prefetchCount: 10, concurrency: 8 }, listener });
  void createMicroservice({ transport: Transport.REDIS, options: { channel: 'orders', mode: 'streams', subscribe: ['payment.*'] }, listener });
  void createMicroservice({ transport: Transport.LOCAL, options: { channel: 'orders', broker: new LocalBroker() }, listener });
  void MessagingClient({ transport: Transport.LOCAL, options: { channel: 'orders', timeout: 500 } });
  void createMicroservice({ transport: Transport.SQS, options: { host: 'http://127.0.0.1:9324', channel: 'orders', fifo: true, visibilityTimeout: 10 }, listener });

  // a provider object's options come from its createTransportLayer
  const provider = null as unknown as TransportProvider<{ url: string }>;
  void createMicroservice({ transport: provider, options: { url: 'x://y' }, listener });
  // @ts-expect-error not the provider's options
  void createMicroservice({ transport: provider, options: { host: 'x://y' }, listener });
};

describe('transport options are type-checked per transport', () => {
  it('maps each transport to its options type', () => {
    expectTypeOf<TransportOptions<Transport.AMQP>>().toEqualTypeOf<AmqpStrategyOptions>();
    expectTypeOf<TransportOptions<Transport.REDIS>>().toEqualTypeOf<RedisStrategyOptions>();
    expectTypeOf<TransportOptions<Transport.SQS>>().toEqualTypeOf<SqsStrategyOptions>();
    expectTypeOf<TransportOptions<TransportProvider<{ url: string }>>>().toEqualTypeOf<{ url: string }>();
    expect(typeof typeChecks).toBe('function');
  });
});
