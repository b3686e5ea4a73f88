/**
 * Tributary services and clients on the real broker, for end-to-end tests: everything
 * started is remembered and `stopAll()` closes it and deletes its queues.
 */
import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MessagingListenerConfig, MicroserviceConnection } from '@tributary/messaging';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { AMQP_URL, Admin } from './broker';

const ClientToken = createContextToken<MessagingClient>('AmqpTestClient');

export class Services {
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly declared: AmqpStrategyOptions[] = [];

  options(queue: string, extra: Partial<AmqpStrategyOptions> = {}): AmqpStrategyOptions {
    const options = { host: AMQP_URL, queue, timeout: 5000, ...extra };
    this.declared.push(options);
    return options;
  }

  async service(queue: string, config: MessagingListenerConfig, extra: Partial<AmqpStrategyOptions> = {}): Promise<MicroserviceConnection> {
    const microservice = await createMicroservice({ transport: Transport.AMQP, options: this.options(queue, extra), listener: messagingListener(config) });
    const connection = await microservice();
    this.closers.push(() => connection.close({ drainTimeout: 2000 }));
    return connection;
  }

  async client(queue: string, extra: Partial<AmqpStrategyOptions> = {}): Promise<MessagingClient> {
    const context = await contextFactory(bindEagerlyTo(ClientToken)(MessagingClient({ transport: Transport.AMQP, options: this.options(queue, extra) })));
    const client = useContext(ClientToken)(lookup(context));
    this.closers.push(() => client.close());
    return client;
  }

  /** Something else to close at the end (a Marble.js service, a child process). */
  onStop(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  async stopAll(admin: Admin): Promise<void> {
    await Promise.all(this.closers.splice(0).map(close => close().catch(() => undefined)));
    await admin.deleteTopology(...this.declared.splice(0));
  }
}
