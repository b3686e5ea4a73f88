import { ConnectionClosedError } from '@tributary/messaging';
import type { TransportLayerConnection } from '@tributary/messaging/transport';
import { createTransportLayer } from '@tributary/mqtt';
import type { MqttStrategyOptions } from '@tributary/mqtt';
import { createTcpProxy } from '@tributary/testing/conformance';
import { MQTT_URL, removeSessions, sessionsOf, uniqueChannel, waitFor } from './helpers/broker';

const broker = new URL(MQTT_URL);

describe('MQTT connection (status, errors, close)', () => {
  const opened: TransportLayerConnection[] = [];
  const channels: string[] = [];
  const extraSessions: string[] = [];

  const connect = async (options: Partial<MqttStrategyOptions> & { channel: string }, isConsumer = true): Promise<TransportLayerConnection> => {
    channels.push(options.channel);
    if (options.clientId) extraSessions.push(options.clientId);
    const connection = await createTransportLayer({ host: MQTT_URL, timeout: 3_000, sessionExpiry: 60, ...options }).connect({ isConsumer });
    opened.push(connection);
    return connection;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map(connection => connection.close()));
    await removeSessions([...channels.splice(0).flatMap(channel => sessionsOf(channel)), ...extraSessions.splice(0)]);
  });

  test('status$: connected, then disconnected → reconnecting → connected around a cut, closed at the end', async () => {
    const proxy = await createTcpProxy({ host: broker.hostname, port: Number(broker.port || 1883) });
    try {
      const connection = await connect({ channel: uniqueChannel('status'), host: `mqtt://127.0.0.1:${proxy.port}`, reconnect: { initialDelay: 50, maxDelay: 200 } });
      const seen: string[] = [];
      connection.status$.subscribe(status => seen.push(status));
      await proxy.cut();
      await waitFor(() => seen.includes('reconnecting'), 3_000, 'reconnecting');
      await proxy.restore();
      await waitFor(() => seen[seen.length - 1] === 'connected' && seen.length > 1, 5_000, 'connected again');
      await connection.close();
      expect(seen[0]).toBe('connected');
      expect(seen).toEqual(expect.arrayContaining(['disconnected', 'reconnecting']));
      expect(seen[seen.length - 1]).toBe('closed');
    } finally {
      await proxy.close();
    }
  });

  test('an unreachable broker fails connect() with BrokerUnavailableError after timeout', async () => {
    const proxy = await createTcpProxy({ host: broker.hostname, port: Number(broker.port || 1883) });
    await proxy.cut();
    const started = Date.now();
    try {
      await expect(connect({ channel: uniqueChannel('down'), host: `mqtt://127.0.0.1:${proxy.port}`, timeout: 1_000 })).rejects.toMatchObject({ name: 'BrokerUnavailableError' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await proxy.close();
    }
  });

  test('close rejects a pending send with ConnectionClosedError', async () => {
    const channel = uniqueChannel('close');
    await connect({ channel }); // a service session subscribes, but nothing consumes
    const client = await connect({ channel }, false);
    const call = client.sendMessage(channel, { data: Buffer.from('{"type":"Ping"}'), type: 'Ping', correlationId: 'c-1' }).then(
      () => undefined,
      (error: Error) => error,
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    await client.close();
    expect(await call).toBeInstanceOf(ConnectionClosedError);
  });
});
