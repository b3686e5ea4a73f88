import { bindEagerlyTo, createContextToken, lookup, onDispose, useContext } from '@tributary/core';
import { ConnectionClosedError, createMicroservice, LocalBroker, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import { uniqueChannel } from './helpers';

describe('microservice.close() disposes the context', () => {
  test('a client bound with onDispose in the microservice context is closed after the drain', async () => {
    const broker = new LocalBroker();
    const channel = uniqueChannel('disposal');
    const Other = createContextToken<MessagingClient>('Other');
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker },
      listener: messagingListener({ effects: [] }),
      dependencies: [onDispose(bindEagerlyTo(Other)(MessagingClient({ transport: Transport.LOCAL, options: { channel: `${channel}-other`, broker } })))],
    });
    await microservice();
    const client = useContext(Other)(lookup(microservice.context));
    await expect(client.emit({ type: 'Before' })).resolves.toBeUndefined();
    await microservice.close();
    await expect(client.emit({ type: 'After' })).rejects.toBeInstanceOf(ConnectionClosedError);
    broker.reset();
  });
});
