/**
 * Connection loss, through a loopback TCP proxy this test controls (the broker is never
 * touched): service and client reconnect by themselves, emits made during the outage wait for
 * the connection, nothing resolved is lost, a `send` waiting for its reply fails at once with
 * Amqp10ConnectionLostError, and a first connection waits for the broker up to `timeout`.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { act, contextFactory, matchEvent } from '@tributary/core';
import { BrokerUnavailableError, ConnectionStatus, createMicroservice, messagingListener, MessagingClient, reply, Transport } from '@tributary/messaging';
import type { MicroserviceConnection, MsgEffect } from '@tributary/messaging';
import { createTransportLayer } from '@tributary/amqp10';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { TcpProxy } from '@tributary/testing/conformance';
import { firstValueFrom, map } from 'rxjs';
import { ArtemisAdmin, ARTEMIS_PORT, eventually, uniqueChannel, wait } from './helpers/artemis';

jest.setTimeout(60_000);

describe('connection loss (TCP proxy cut)', () => {
  const admin = new ArtemisAdmin();
  const channels: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  let proxy: TcpProxy;
  const host = (): string => `amqp://127.0.0.1:${proxy.port}`;
  const channel = (label: string): string => {
    const name = uniqueChannel(label);
    channels.push(name);
    return name;
  };

  beforeAll(() => admin.open());
  beforeEach(async () => {
    proxy = await createTcpProxy({ port: ARTEMIS_PORT });
  });
  afterEach(async () => {
    await proxy.restore();
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    await proxy.close();
  });
  afterAll(async () => {
    for (const name of channels) await admin.destroyQueues(name);
    await admin.close();
  });

  const start = async (name: string, effects: MsgEffect[]): Promise<MicroserviceConnection> => {
    const microservice = await createMicroservice({
      transport: Transport.AMQP10,
      options: { host: host(), channel: name, timeout: 15_000, reconnect: { initialDelay: 50, maxDelay: 500 } },
      listener: messagingListener({ effects }),
    });
    const connection = await microservice();
    closers.push(() => connection.close({ drainTimeout: 1000 }));
    return connection;
  };

  const client = async (name: string): Promise<MessagingClient> => {
    const c = await MessagingClient({ transport: Transport.AMQP10, options: { host: host(), channel: name, timeout: 15_000, reconnect: { initialDelay: 50, maxDelay: 500 } } })(
      await contextFactory(),
    );
    closers.push(() => c.close());
    return c;
  };

  it('a cut in the middle of 300 emits: both sides reconnect, every resolved emit is handled, none rejected', async () => {
    const name = channel('cut');
    const handled = new Map<number, number>();
    const job$: MsgEffect = e$ => e$.pipe(matchEvent('Job'), act(e => void handled.set(e.payload as number, (handled.get(e.payload as number) ?? 0) + 1)));
    await start(name, [job$]);
    const layer = createTransportLayer({ host: host(), channel: name, reconnect: { initialDelay: 50, maxDelay: 500 } });
    const statuses: string[] = [];
    const watched = await layer.connect({ isConsumer: false });
    closers.push(() => watched.close());
    watched.status$.subscribe(s => statuses.push(String(s)));
    const c = await client(name);

    const resolved: number[] = [];
    const rejected: unknown[] = [];
    const emitting = (async () => {
      for (let i = 0; i < 300; i++) {
        await c.emit({ type: 'Job', payload: i }).then(() => resolved.push(i), error => rejected.push(error));
        if (i % 10 === 0) await wait(5);
      }
    })();
    await eventually(() => resolved.length >= 100, 20_000);
    await proxy.cut();
    await wait(1500);
    await proxy.restore();
    await emitting;

    expect(rejected).toEqual([]);
    expect(resolved).toHaveLength(300);
    await eventually(() => resolved.every(i => handled.has(i)), 20_000);
    const duplicates = [...handled.values()].filter(n => n > 1).length;
    console.log(`outage: 300 emitted and resolved, ${handled.size} handled, lost ${resolved.filter(i => !handled.has(i)).length}, duplicates ${duplicates}`);
    expect(statuses).toEqual(expect.arrayContaining([ConnectionStatus.DISCONNECTED, ConnectionStatus.RECONNECTING]));
    await eventually(() => statuses[statuses.length - 1] === ConnectionStatus.CONNECTED, 10_000);
  });

  it('a send waiting for its reply when the connection drops fails at once with Amqp10ConnectionLostError', async () => {
    const name = channel('send');
    const slow$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Slow'),
        act(async () => wait(3000)),
        map(e => reply(e)({ type: 'SlowDone' })),
      );
    await start(name, [slow$]);
    const c = await client(name);
    const started = Date.now();
    const answer = firstValueFrom(c.send({ type: 'Slow' }));
    answer.catch(() => undefined);
    await wait(300);
    await proxy.cut();
    await expect(answer).rejects.toMatchObject({ name: 'Amqp10ConnectionLostError' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a first connection waits for the broker up to timeout, then fails with BrokerUnavailableError', async () => {
    await proxy.cut();
    const layer = createTransportLayer({ host: host(), channel: channel('first'), timeout: 800, reconnect: { initialDelay: 50, maxDelay: 200 } });
    await expect(layer.connect({ isConsumer: false })).rejects.toBeInstanceOf(BrokerUnavailableError);

    const patient = createTransportLayer({ host: host(), channel: channel('first'), timeout: 10_000, reconnect: { initialDelay: 50, maxDelay: 200 } });
    const connecting = patient.connect({ isConsumer: true });
    await wait(600);
    await proxy.restore();
    const connection = await connecting;
    closers.push(() => connection.close());
    expect(connection.getChannel()).toMatch(/^test-amqp10-first-/);
  });

  it('a peer that takes the TCP connection but never speaks AMQP does not hang connect: BrokerUnavailableError after timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer(socket => void sockets.add(socket));
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => silent.close(resolve));
    });
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const layer = createTransportLayer({ host: `amqp://127.0.0.1:${port}`, channel: 'never-used', timeout: 1500, reconnect: { initialDelay: 50, maxDelay: 200 } });
    await expect(layer.connect({ isConsumer: false })).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
