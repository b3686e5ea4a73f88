/**
 * A `send` in flight when the connection drops: sent again once on the new connection when the
 * broker never confirmed the request, rejected with `AmqpConnectionLostError` when it had.
 * The drop is a loopback proxy this test owns (the shared broker keeps running).
 */
import { createServer, Server, Socket } from 'node:net';
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { AmqpConnectionLostError, createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { AMQP_URL, eventually, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';

/** A proxy to RabbitMQ that can hold what clients write (the broker never sees it) and drop every connection. */
class HoldingProxy {
  private server?: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer(client => {
      const upstream = new Socket();
      upstream.connect(5672, '127.0.0.1');
      for (const socket of [client, upstream]) socket.on('error', () => undefined);
      client.pipe(upstream).pipe(client);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => {
        upstream.destroy();
        this.pairs.delete(pair);
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Client bytes stop reaching the broker (buffered, then dropped by `cut`). */
  hold(): void {
    for (const [client, upstream] of this.pairs) client.unpipe(upstream);
  }

  cut(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise(resolve => this.server?.close(resolve));
  }
}

const body = (type: string, payload?: unknown): Buffer => Buffer.from(JSON.stringify({ type, payload }));
const payloadOf = (m: TransportMessage): unknown => JSON.parse((m.data as Buffer).toString()).payload;

describe('AMQP send across a dropped connection', () => {
  const broker = useSharedBroker();
  const declared: AmqpStrategyOptions[] = [];
  const open: TransportLayerConnection[] = [];
  let proxy: HoldingProxy;

  const connect = async (options: Partial<AmqpStrategyOptions> & { queue: string }, isConsumer: boolean): Promise<TransportLayerConnection> => {
    const full = { host: AMQP_URL, timeout: 8000, ...options };
    declared.push(full);
    const connection = await createTransportLayer(full).connect({ isConsumer });
    open.push(connection);
    return connection;
  };

  /** A service (connected directly) that replies to every request except those with payload 'silent'. */
  const service = async (queue: string): Promise<TransportMessage[]> => {
    const requests: TransportMessage[] = [];
    const connection = await connect({ queue }, true);
    connection.message$.subscribe(m => {
      requests.push(m);
      if (payloadOf(m) !== 'silent' && m.replyTo) void connection.emitMessage(m.replyTo, { data: body('Pong', payloadOf(m)), correlationId: m.correlationId });
      connection.ackMessage(m);
    });
    return requests;
  };

  beforeEach(async () => {
    proxy = new HoldingProxy();
    await proxy.start();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map(c => c.close()));
    await proxy.stop();
    await broker.admin.deleteTopology(...declared.splice(0));
  });

  it('a request the broker never confirmed is sent again once on the new connection and gets its reply', async () => {
    const queue = uniqueQueue('send-retry');
    const requests = await service(queue);
    const client = await connect({ queue, host: `amqp://guest:guest@127.0.0.1:${proxy.port}` }, false);
    expect(payloadOf(await client.sendMessage(queue, { data: body('Ping', 'warm') }))).toBe('warm');

    proxy.hold();
    const call = client.sendMessage(queue, { data: body('Ping', 'held'), messageId: 'held-1' });
    await wait(200);
    expect(requests.map(payloadOf)).toEqual(['warm']); // the broker never saw it
    proxy.cut();

    const reply = await call;
    expect(payloadOf(reply)).toBe('held');
    expect(requests.map(payloadOf)).toEqual(['warm', 'held']); // once
  }, 20_000);

  it('a request the broker confirmed fails with AmqpConnectionLostError (reachedBroker), and is not sent again', async () => {
    const queue = uniqueQueue('send-lost');
    const requests = await service(queue);
    const client = await connect({ queue, host: `amqp://guest:guest@127.0.0.1:${proxy.port}` }, false);
    const call = client.sendMessage(queue, { data: body('Ping', 'silent') }).catch((error: unknown) => error);
    await eventually(() => requests.length === 1);
    await wait(100); // its confirm is back
    proxy.cut();
    const error = await call;
    expect(error).toBeInstanceOf(AmqpConnectionLostError);
    expect((error as AmqpConnectionLostError).reachedBroker).toBe(true);
    expect((error as Error).message).toMatch(/may have been processed/);
    await wait(500);
    expect(requests).toHaveLength(1);
  }, 20_000);
});
