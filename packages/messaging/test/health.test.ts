import { act, matchEvent } from '@tributary/core';
import { ConnectionStatus, createMicroservice, LocalBroker, messagingListener, Transport } from '@tributary/messaging';
import { Subject } from 'rxjs';
import { HealthMonitor } from '../src/internal/HealthMonitor';
import { eventually, localClient, uniqueChannel, wait } from './helpers';

describe('health()', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it('a local service is up with its in-flight count, and down once closed; so is a client', async () => {
    const channel = uniqueChannel('health');
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker },
      listener: messagingListener({ effects: [e$ => e$.pipe(matchEvent('Hold'), act(() => gate))] }),
    });
    const before = Date.now();
    const connection = await microservice();
    const client = await localClient(broker, channel);
    expect(connection.health()).toEqual({ status: 'up', transport: 'local', channel, inFlight: 0, since: expect.any(Number) });
    expect(client.health()).toMatchObject({ status: 'up', transport: 'local', channel, inFlight: 0 });
    await client.emit({ type: 'Hold' });
    await eventually(() => connection.health().inFlight === 1);
    const closing = connection.close();
    expect(connection.health().status).toBe('down');
    expect(connection.health().since).toBeGreaterThanOrEqual(before);
    release();
    await closing;
    expect(connection.health()).toMatchObject({ status: 'down', inFlight: 0 });
    await client.close();
    expect(client.health().status).toBe('down');
  });

  it('follows status$: connected → reconnecting → connected is up → degraded → up; errors are kept; closed is down for good', () => {
    const status$ = new Subject<string>();
    const error$ = new Subject<Error>();
    let reconnects = 0;
    const monitor = new HealthMonitor({ transport: 'amqp', channel: 'orders', status$, error$, inFlight: () => 3, reconnected: () => reconnects++ });
    expect(monitor.health()).toMatchObject({ status: 'up', transport: 'amqp', channel: 'orders', inFlight: 3 });
    status$.next(ConnectionStatus.DISCONNECTED);
    expect(monitor.health().status).toBe('degraded');
    status$.next(ConnectionStatus.RECONNECTING);
    error$.next(Object.assign(new Error('ECONNREFUSED 127.0.0.1:5672'), { name: 'BrokerUnavailableError' }));
    expect(monitor.health()).toMatchObject({ status: 'degraded', lastError: { name: 'BrokerUnavailableError', message: 'ECONNREFUSED 127.0.0.1:5672', at: expect.any(Number) } });
    status$.next(ConnectionStatus.CONNECTED);
    expect(monitor.health().status).toBe('up');
    expect(reconnects).toBe(1);
    status$.next(ConnectionStatus.CLOSED);
    expect(monitor.health().status).toBe('down');
    status$.next(ConnectionStatus.CONNECTED);
    expect(monitor.health().status).toBe('down');
  });

  it('since moves only when the status changes', async () => {
    const status$ = new Subject<string>();
    const monitor = new HealthMonitor({ transport: 'redis', channel: 'c', status$, error$: new Subject<Error>(), inFlight: () => 0 });
    const first = monitor.health().since;
    await wait(5);
    status$.next(ConnectionStatus.CONNECTED);
    expect(monitor.health().since).toBe(first);
    status$.next(ConnectionStatus.RECONNECTING);
    expect(monitor.health().since).toBeGreaterThan(first);
  });
});
