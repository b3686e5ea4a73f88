import { createServer, Server, Socket } from 'node:net';
import { BrokerUnavailableError, ConnectionStatus } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import { firstValueFrom } from 'rxjs';
import { decode, envelope, outgoing, RedisTestBed, sleep, waitFor } from './helpers';

/** A TCP proxy to the test Redis: stopping it is an outage for whoever connects through it, and only for them. */
class RedisProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;

  /** Stops forwarding bytes while keeping every connection open: the connection hangs. */
  freeze(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
    }
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer(client => {
      const upstream = new Socket();
      upstream.connect(6379, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      this.pairs.add([client, upstream]);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise(resolve => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }
}

describe('@tributary/redis during a Redis outage', () => {
  let bed: RedisTestBed;
  let proxy: RedisProxy;

  beforeEach(async () => {
    bed = new RedisTestBed();
    proxy = new RedisProxy();
    await proxy.start();
  });

  afterEach(async () => {
    await proxy.start().catch(() => undefined); // let the connections close politely
    await bed.close();
    await proxy.stop();
  });

  test('a command written on a connection that then hangs (still "ready") is bounded by timeout', async () => {
    const channel = bed.channel('hung');
    const host = `redis://127.0.0.1:${proxy.port}`;
    const client = await bed.connect({ host, channel, mode: 'streams', timeout: 400 }, false);
    await client.emitMessage(channel, outgoing({ type: 'Before' }));
    proxy.freeze();
    const started = Date.now();
    await expect(client.emitMessage(channel, outgoing({ type: 'Hung' }))).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('streams: emit fails with BrokerUnavailableError after timeout while Redis is away; the consumer recovers by itself and processes what others emitted meanwhile', async () => {
    const channel = bed.channel('orders');
    const host = `redis://127.0.0.1:${proxy.port}`;
    const service = await bed.connect({ host, channel, mode: 'streams', timeout: 600 });
    const client = await bed.connect({ host, channel, mode: 'streams', timeout: 600 }, false);
    const statuses: string[] = [];
    service.status$.subscribe(status => statuses.push(status));

    const received: TransportMessage[] = bed.consume(service, message => void service.ackMessage(message));
    await client.emitMessage(channel, outgoing({ type: 'Before' }));
    await waitFor(() => received.length === 1, 3_000, 'before the outage');

    await proxy.stop();
    const started = Date.now();
    await expect(client.emitMessage(channel, outgoing({ type: 'During' }))).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(3_000);
    await waitFor(() => statuses.includes(ConnectionStatus.RECONNECTING), 3_000, 'reconnecting');

    // another producer, still connected, emits while the service is cut off
    for (let i = 0; i < 5; i++) await bed.admin.xadd(bed.key(channel), '*', 'data', envelope({ type: 'Meanwhile', payload: i }));
    await sleep(300);
    expect(received).toHaveLength(1);

    await proxy.start();
    // the emit that timed out may still reach Redis once the connection is back (at-least-once):
    // the caller was told it failed, a retry of theirs makes a duplicate, never a loss
    const payloads = () => received.slice(1).map(m => decode(m)).filter(e => e.type === 'Meanwhile').map(e => e.payload);
    await waitFor(() => payloads().length === 5, 10_000, `after the outage (got ${received.length}, ${statuses})`);
    expect(payloads()).toEqual([0, 1, 2, 3, 4]);
    await waitFor(() => statuses[statuses.length - 1] === ConnectionStatus.CONNECTED, 3_000, `connected again (${statuses})`);
    const before = received.length;
    // the client's connection reconnects on its own backoff
    await waitFor(async () => (await firstValueFrom(client.status$)) === ConnectionStatus.CONNECTED, 10_000, 'client reconnected');
    await client.emitMessage(channel, outgoing({ type: 'After' }));
    await waitFor(() => received.slice(before).some(m => decode(m).type === 'After'), 3_000, 'emit after the outage');
  });

  test('pubsub: the subscription is restored once after an outage (no duplicate deliveries)', async () => {
    const channel = bed.channel('live');
    const host = `redis://127.0.0.1:${proxy.port}`;
    const service = await bed.connect({ host, channel, subscribe: ['price.*'] });
    const received = bed.consume(service);
    await proxy.stop();
    await sleep(300);
    await proxy.start();
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 10_000, 'resubscribed');
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key('topic:price.eur')))[1]) === 0, 1_000, 'nothing extra');

    await bed.admin.publish(bed.key(channel), envelope({ type: 'Direct' }));
    await bed.admin.publish(bed.key('topic:price.eur'), envelope({ type: 'price.eur' }));
    await waitFor(() => received.length === 2, 3_000, 'deliveries');
    await sleep(200);
    expect(received.map(m => decode(m).type)).toEqual(['Direct', 'price.eur']);
  });

  test('close() during an outage finishes promptly (bounded waits) and reports closed', async () => {
    const host = `redis://127.0.0.1:${proxy.port}`;
    const streams = await bed.connect({ host, channel: bed.channel('orders'), mode: 'streams', timeout: 500, subscribe: ['a.*'] });
    const pubsub = await bed.connect({ host, channel: bed.channel('live'), timeout: 500 });
    bed.consume(streams);
    bed.consume(pubsub);
    const statuses: string[] = [];
    streams.status$.subscribe(status => statuses.push(status));
    await proxy.stop();
    await waitFor(() => statuses.includes(ConnectionStatus.RECONNECTING), 3_000, 'outage noticed');
    const started = Date.now();
    await Promise.all([streams.close(), pubsub.close()]);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(statuses[statuses.length - 1]).toBe(ConnectionStatus.CLOSED);
  });
});
