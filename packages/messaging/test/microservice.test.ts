import { act, Event, matchEvent } from '@tributary/core';
import * as messaging from '@tributary/messaging';
import * as spi from '@tributary/messaging/transport';
import * as local from '@tributary/messaging/local';
import {
  createMicroservice,
  LocalBroker,
  messagingListener,
  MsgEffect,
  MsgServerEffect,
  ServerEventType,
  Transport,
  TransportNotInstalledError,
} from '@tributary/messaging';
import { firstValueFrom, map, tap } from 'rxjs';
import { eventually, localClient, uniqueChannel } from './helpers';

describe('createMicroservice', () => {
  it('names the package to install when a transport package is missing', async () => {
    // every first-party transport is installed in this repository: map TCP to a package that is not
    const packages = spi.TRANSPORT_PACKAGES as Record<number, string | undefined>;
    packages[Transport.TCP] = '@tributary/tcp';
    try {
      const error = await createMicroservice({ transport: Transport.TCP, options: {}, listener: messagingListener({}) }).catch(e => e);
      expect(error).toBeInstanceOf(TransportNotInstalledError);
      expect(error.message).toBe('Transport.TCP needs @tributary/tcp: npm install @tributary/tcp');
    } finally {
      delete packages[Transport.TCP];
    }
  });

  it('resolves the connection on start; reports status and close on event$', async () => {
    const broker = new LocalBroker();
    const channel = uniqueChannel('status');
    const seen: Event[] = [];
    const server$: MsgServerEffect = event$ => event$.pipe(tap(e => seen.push(e)));
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker },
      listener: messagingListener({}),
      event$: server$,
    });
    expect(microservice.context).toBeInstanceOf(Map);
    const connection = await microservice();
    expect(connection.getChannel()).toBe(channel);
    await microservice.close();
    await eventually(() => seen.some(e => e.type === ServerEventType.CLOSE));
    expect(seen[0]).toMatchObject({ type: ServerEventType.STATUS, payload: { channel, type: 'connected' } });
  });

  it('answers an RPC caller with the error when an effect stream fails outside act', async () => {
    const broker = new LocalBroker();
    const channel = uniqueChannel('crash-rpc');
    const broken$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Compute'),
        map(() => {
          throw new RangeError('bad input');
        }),
      );
    const healthy$: MsgEffect = event$ => event$.pipe(matchEvent('Ping'), act(e => messaging.reply(e)({ type: 'Pong' })));
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker },
      listener: messagingListener({ effects: [broken$, healthy$] }),
    });
    const connection = await microservice();
    const client = await localClient(broker, channel, { timeout: 2000 });
    const error = await firstValueFrom(client.send({ type: 'Compute' })).catch(e => e);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('bad input');
    // the failing effect was restarted and the other one never noticed
    expect((await firstValueFrom(client.send({ type: 'Ping' }))).type).toBe('Pong');
    const again = await firstValueFrom(client.send({ type: 'Compute' })).catch(e => e);
    expect(again.name).toBe('RangeError');
    await connection.close();
  });
});

describe('public API of @tributary/messaging', () => {
  it.each([
    ['messagingListener', 'function'],
    ['createMicroservice', 'function'],
    ['MessagingClient', 'function'],
    ['EventBus', 'function'],
    ['EventBusClient', 'function'],
    ['EventBusToken', 'object'],
    ['EventBusClientToken', 'object'],
    ['reply', 'function'],
    ['ackEvent', 'function'],
    ['nackEvent', 'function'],
    ['nackAndResendEvent', 'function'],
    ['dedupe', 'function'],
    ['createMemoryDedupeStore', 'function'],
    ['Transport', 'object'],
    ['ConnectionStatus', 'object'],
    ['ServerEvent', 'object'],
    ['TransportLayerToken', 'object'],
    ['ServerEventsToken', 'object'],
    ['LocalBroker', 'function'],
    ['jsonTransformer', 'object'],
    ['TimeoutError', 'function'],
    ['BrokerUnavailableError', 'function'],
    ['UnhandledEventError', 'function'],
    ['MalformedMessageError', 'function'],
    ['TransportNotInstalledError', 'function'],
    ['RemoteError', 'function'],
    ['DEFAULT_RETRY_OPTIONS', 'object'],
    ['DEFAULT_DRAIN_TIMEOUT', 'number'],
    ['DEFAULT_TIMEOUT', 'number'],
    ['asListenerDelivery', 'function'],
    ['NoConsumerError', 'function'],
    ['MaxAttemptsExceededError', 'function'],
    ['ConnectionClosedError', 'function'],
  ])('exports %s', (name, type) => {
    expect(typeof (messaging as Record<string, unknown>)[name]).toBe(type);
  });

  const spiOnly = [
    'createLocalTransportLayer',
    'provideTransportLayer',
    'PendingReplies',
    'matchTopic',
    'retryDelay',
    'reconnectDelay',
    'resolveRetryOptions',
    'resolveDeliveryOptions',
    'deliveryConfig',
    'TRANSPORT_PACKAGES',
  ];
  it.each(spiOnly)('keeps the transport SPI %s out of the application entry point, in @tributary/messaging/transport', name => {
    expect((messaging as Record<string, unknown>)[name]).toBeUndefined();
    expect(typeof (spi as Record<string, unknown>)[name]).toBe(name === 'TRANSPORT_PACKAGES' ? 'object' : 'function');
  });

  it('finds the in-process transport like any other: @tributary/messaging/local exports createTransportLayer', () => {
    expect(spi.TRANSPORT_PACKAGES[Transport.LOCAL]).toBe('@tributary/messaging/local');
    expect(typeof local.createTransportLayer).toBe('function');
  });

  it('keeps Marble.js transport numbers', () => {
    expect([Transport.AMQP, Transport.REDIS, Transport.LOCAL]).toEqual([2, 3, 6]);
  });
});
