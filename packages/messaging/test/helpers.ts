import { randomUUID } from 'node:crypto';
import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import {
  createMicroservice,
  LocalBroker,
  messagingListener,
  MessagingClient,
  MessagingListenerConfig,
  MicroserviceConnection,
  Transport,
} from '@tributary/messaging';

export const uniqueChannel = (prefix = 'test') => `${prefix}-${randomUUID().slice(0, 8)}`;

export const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `check` until it returns true (bounded). */
export const eventually = async (check: () => boolean | Promise<boolean>, timeout = 5000, every = 10): Promise<void> => {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
    await wait(every);
  }
};

export interface LocalService {
  connection: MicroserviceConnection;
  close: () => Promise<void>;
}

export const startLocalService = async (
  broker: LocalBroker,
  channel: string,
  config: MessagingListenerConfig,
  options: Record<string, unknown> = {},
): Promise<MicroserviceConnection> => {
  const microservice = await createMicroservice({
    transport: Transport.LOCAL,
    options: { channel, broker, ...options },
    listener: messagingListener(config),
  });
  return microservice();
};

const ClientToken = createContextToken<MessagingClient>('Client');

export const localClient = async (broker: LocalBroker, channel: string, options: Record<string, unknown> = {}): Promise<MessagingClient> => {
  const context = await contextFactory(
    bindEagerlyTo(ClientToken)(MessagingClient({ transport: Transport.LOCAL, options: { channel, broker, ...options } })),
  );
  return useContext(ClientToken)(lookup(context));
};
