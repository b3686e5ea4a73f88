import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import type { BoundDependency } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MessagingListenerConfig, MicroserviceConnection } from '@tributary/messaging';
import type { RedisStrategyOptions } from '@tributary/redis';
import { REDIS_URL, RedisTestBed } from './helpers';

/** End-to-end pieces on Redis, closed with the test bed. */
export class RedisServices {
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(private readonly bed: RedisTestBed) {}

  options(options: Partial<RedisStrategyOptions> & { channel: string }): RedisStrategyOptions {
    return { host: REDIS_URL, keyPrefix: this.bed.keyPrefix, timeout: 5_000, blockTime: 200, ...options };
  }

  /** Starts a microservice (Transport.REDIS, resolved by the messaging layer). */
  async service(
    options: Partial<RedisStrategyOptions> & { channel: string },
    listener: MessagingListenerConfig,
    dependencies: Array<BoundDependency<any>> = [],
  ): Promise<MicroserviceConnection> {
    const microservice = await createMicroservice({
      transport: Transport.REDIS,
      options: this.options(options),
      listener: messagingListener(listener),
      dependencies,
    });
    const connection = await microservice();
    this.closers.push(() => connection.close({ drainTimeout: 1_000 }));
    return connection;
  }

  async client(options: Partial<RedisStrategyOptions> & { channel: string }): Promise<MessagingClient> {
    const token = createContextToken<MessagingClient>('RedisClient');
    const context = await contextFactory(bindEagerlyTo(token)(MessagingClient({ transport: Transport.REDIS, options: this.options(options) })));
    const client = useContext(token)(lookup(context));
    this.closers.push(() => client.close());
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map(close => close().catch(() => undefined)));
  }
}
