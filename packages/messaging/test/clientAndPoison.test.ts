import { act, bindEagerlyTo, contextFactory, createContextToken, lookup, matchEvent, useContext } from '@tributary/core';
import { LocalBroker, MessagingClient, Transport } from '@tributary/messaging';
import { createLocalTransportLayer } from '@tributary/messaging/transport';
import { eventually, startLocalService, uniqueChannel } from './helpers';

describe('MessagingClient lifecycle', () => {
  it('close() closes the connection even when the client never sent anything', async () => {
    const broker = new LocalBroker();
    let closed = 0;
    const provider = {
      type: Transport.LOCAL,
      createTransportLayer: (options: any) => {
        const layer = createLocalTransportLayer(options);
        return {
          ...layer,
          connect: async (opts?: { isConsumer: boolean }) => {
            const connection = await layer.connect(opts);
            const close = connection.close.bind(connection);
            return Object.assign(connection, { close: async () => { closed++; await close(); } });
          },
        };
      },
    };
    const Client = createContextToken<MessagingClient>('Client');
    const context = await contextFactory(bindEagerlyTo(Client)(MessagingClient({ transport: provider, options: { channel: 'x', broker } })));
    await useContext(Client)(lookup(context)).close();
    expect(closed).toBe(1);
  });
});

describe('a message over its attempts', () => {
  it('is dead-lettered on receipt, without running the effects again (it crashed its consumers)', async () => {
    const broker = new LocalBroker();
    const channel = uniqueChannel('poison');
    let runs = 0;
    const service = await startLocalService(broker, channel, { effects: [e$ => e$.pipe(matchEvent('Poison'), act(() => { runs++; }))] }, { retry: { maxAttempts: 3 } });
    // as a broker redelivers a message whose consumer died before settling it, attempt after attempt
    broker.enqueue(channel, { data: { type: 'Poison' }, attempt: 4 });
    await eventually(() => broker.getDeadLetters(channel).length === 1);
    const [letter] = broker.getDeadLetters(channel);
    expect(letter.info).toMatchObject({ reason: 'failed', attempts: 4, error: { name: 'MaxAttemptsExceededError' } });
    expect(runs).toBe(0);
    broker.enqueue(channel, { data: { type: 'Poison' }, attempt: 3 });
    await eventually(() => runs === 1);
    await service.close();
  });
});

describe('MessagingClient errors', () => {
  it('emit of an event that cannot be encoded rejects (never throws synchronously)', async () => {
    const Client = createContextToken<MessagingClient>('Client');
    const provider = { type: Transport.AMQP, createTransportLayer: (options: any) => ({ ...createLocalTransportLayer(options), config: { ...createLocalTransportLayer(options).config, wire: 'body' as const } }) };
    const context = await contextFactory(bindEagerlyTo(Client)(MessagingClient({ transport: provider, options: { channel: 'enc', broker: new LocalBroker() } })));
    const client = useContext(Client)(lookup(context));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const result = client.emit({ type: 'Bad', payload: circular });
    await expect(result).rejects.toThrow(TypeError);
    await expect(client.publish({ type: 'Bad', payload: circular })).rejects.toThrow(TypeError);
  });
});
