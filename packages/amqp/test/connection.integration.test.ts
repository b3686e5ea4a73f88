/**
 * The AMQP connection through the transport SPI, against the real broker: topology, emit,
 * consume, ack, wire format, publisher confirms, publish fan-out, raw bytes.
 */
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { ConnectionStatus, Transport } from '@tributary/messaging';
import { AmqpTopologyError, AmqpUnroutableError, createAmqpStrategy, createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { Subscription, firstValueFrom } from 'rxjs';
import { AMQP_URL, eventually, rabbitmqctl, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';

const body = (type: string, payload?: unknown): Buffer => Buffer.from(JSON.stringify({ type, payload }));

describe('AMQP connection (SPI)', () => {
  const broker = useSharedBroker();
  const declared: AmqpStrategyOptions[] = [];
  const open: TransportLayerConnection[] = [];
  const subscriptions: Subscription[] = [];

  const connect = async (options: Partial<AmqpStrategyOptions> & { queue: string }, isConsumer = true) => {
    const full = { host: AMQP_URL, timeout: 5000, ...options };
    declared.push(full);
    const connection = await createTransportLayer(full).connect({ isConsumer });
    open.push(connection);
    return connection;
  };

  const consume = (connection: TransportLayerConnection): TransportMessage[] => {
    const received: TransportMessage[] = [];
    subscriptions.push(connection.message$.subscribe(m => received.push(m)));
    return received;
  };


  afterEach(async () => {
    subscriptions.splice(0).forEach(s => s.unsubscribe());
    await Promise.all(open.splice(0).map(c => c.close()));
    await broker.admin.deleteTopology(...declared.splice(0));
  });


  it('describes itself to the messaging layer (body wire, Marble name alias)', () => {
    const layer = createAmqpStrategy({ host: 'amqp://guest:secret@127.0.0.1:5672', queue: 'orders', subscribe: ['OrderCreated'] });
    expect(layer.type).toBe(Transport.AMQP);
    expect(layer.config).toMatchObject({ channel: 'orders', wire: 'body', expectAck: false, subscribe: ['OrderCreated'], durable: true });
    expect(layer.config.host).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(layer.config.retry.maxAttempts).toBe(5);
    expect(() => createTransportLayer({ host: 'localhost', queue: 'x' })).toThrow(/host/);
    expect(() => createTransportLayer({ host: AMQP_URL, queue: '' })).toThrow(/queue/);
  });

  it('connects, reports connected and declares queue, dead-letter queue, retry queues and bindings', async () => {
    const queue = uniqueQueue('topology');
    const connection = await connect({ queue, subscribe: ['OrderCreated'], retry: { maxAttempts: 3, initialDelay: 100 } });
    expect(await firstValueFrom(connection.status$)).toBe(ConnectionStatus.CONNECTED);
    expect(connection.getChannel()).toBe(queue);
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 0, consumers: 0 });
    expect(await broker.admin.inspect(`${queue}.dead-letter`)).toBeDefined();
    expect(await broker.admin.inspect(`${queue}.retry.100`)).toBeDefined();
    expect(await broker.admin.inspect(`${queue}.retry.200`)).toBeDefined();
    expect(await broker.admin.inspect(`${queue}.retry.400`)).toBeUndefined();
    // the binding: a publish on the exchange reaches the queue
    await connection.publishMessage('OrderCreated', { data: body('OrderCreated'), type: 'OrderCreated' });
    await eventually(async () => (await broker.admin.inspect(queue))?.messages === 1);
  });

  it('a client connection declares the target queue only, so an emit before the service starts waits for it', async () => {
    const queue = uniqueQueue('client');
    const client = await connect({ queue }, false);
    expect(await broker.admin.inspect(`${queue}.dead-letter`)).toBeUndefined();
    await client.emitMessage(queue, { data: body('Early'), type: 'Early' });
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 1, consumers: 0 });
    const service = await connect({ queue });
    const received = consume(service);
    await eventually(() => received.length === 1);
    expect(JSON.parse(received[0].data as string).type).toBe('Early');
  });

  it('emits and consumes with every metadata field mapped, and acks', async () => {
    const queue = uniqueQueue('emit');
    const service = await connect({ queue });
    const received = consume(service);
    const timestamp = Date.now();
    const sent: TransportMessage = {
      data: body('OrderPlaced', { id: 1 }),
      messageId: 'm-1',
      correlationId: 'c-1',
      replyTo: 'somewhere',
      type: 'OrderPlaced',
      timestamp,
      causationId: 'cause-1',
      headers: { tenant: 'acme', 'x-request-id': 'r-1' },
    };
    await expect(service.emitMessage(queue, sent)).resolves.toBe(true);
    await eventually(() => received.length === 1);
    const [message] = received;
    expect(message).toMatchObject({
      messageId: 'm-1',
      correlationId: 'c-1',
      replyTo: 'somewhere',
      type: 'OrderPlaced',
      timestamp,
      causationId: 'cause-1',
      headers: { tenant: 'acme', 'x-request-id': 'r-1' },
      attempt: 1,
    });
    expect(Buffer.isBuffer(message.data) && JSON.parse(message.data.toString())).toEqual({ type: 'OrderPlaced', payload: { id: 1 } });
    expect(message.raw.fields.deliveryTag).toBeGreaterThan(0);
    // unacked: the broker still holds it; acked: gone for good (twice is harmless)
    await service.ackMessage(message);
    await service.ackMessage(message);
    await service.close();
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 0, consumers: 0 });
  });

  it('puts metadata in AMQP properties: contentType, persistent, timestamp in seconds, headers', async () => {
    const queue = uniqueQueue('wire');
    const client = await connect({ queue }, false);
    const timestamp = 1_700_000_000_123;
    await client.emitMessage(queue, {
      data: body('Wire'),
      messageId: 'm-2',
      correlationId: 'c-2',
      type: 'Wire',
      timestamp,
      causationId: 'cause-2',
      attempt: 2,
      headers: { tenant: 'acme' },
    });
    const msg = await broker.admin.get(queue);
    expect(msg?.content.toString()).toBe('{"type":"Wire"}');
    expect(msg?.properties).toMatchObject({
      contentType: 'application/json',
      deliveryMode: 2,
      messageId: 'm-2',
      correlationId: 'c-2',
      type: 'Wire',
      timestamp: 1_700_000_000,
    });
    expect(msg?.properties.headers).toEqual({ tenant: 'acme', 'x-causation-id': 'cause-2', 'x-attempt': 2, 'x-timestamp-ms': timestamp });
  });

  it('reads a Marble.js-style message (only correlationId and replyTo) and any bytes as they are', async () => {
    const queue = uniqueQueue('raw');
    const service = await connect({ queue });
    const received = consume(service);
    await broker.admin.sendRaw(queue, '{"type":"FIB","payload":5}', { correlationId: 'marble-1', replyTo: 'amq.gen-xyz' });
    await broker.admin.sendRaw(queue, Buffer.from([0xff, 0x00, 0x7b]));
    await eventually(() => received.length === 2);
    expect(received[0]).toEqual({ data: Buffer.from('{"type":"FIB","payload":5}'), raw: expect.anything(), correlationId: 'marble-1', replyTo: 'amq.gen-xyz', attempt: 1 });
    expect(received[1].data).toEqual(Buffer.from([0xff, 0x00, 0x7b]));
    received.forEach(m => service.ackMessage(m));
  });

  it('resolves emit only once the broker has the message (publisher confirm)', async () => {
    const queue = uniqueQueue('confirm');
    const client = await connect({ queue }, false);
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.emitMessage(queue, { data: body('N', i) })));
    // no wait: every resolved emit is already in the queue
    expect((await broker.admin.inspect(queue))?.messages).toBe(200);
  });

  it('rejects an emit to a queue that does not exist (returned by the broker), instead of losing it', async () => {
    const queue = uniqueQueue('unroutable');
    const client = await connect({ queue }, false);
    const missing = uniqueQueue('missing');
    await expect(client.emitMessage(missing, { data: body('Lost') })).rejects.toBeInstanceOf(AmqpUnroutableError);
    // a reply to a caller that is gone is not an error: resolves false
    await expect(client.emitMessage('amq.rabbitmq.reply-to.gone', { data: body('Late') })).resolves.toBe(false);
  });

  it('publishes one copy to every subscribed service queue (exact type and patterns), none to others', async () => {
    const billing = uniqueQueue('billing');
    const shipping = uniqueQueue('shipping');
    const audit = uniqueQueue('audit');
    const exchange = `test.amqp.exchange.${billing}`;
    const b = consume(await connect({ queue: billing, exchange, subscribe: ['OrderCreated'] }));
    const s = consume(await connect({ queue: shipping, exchange, subscribe: ['order.*', 'OrderCreated'] }));
    const a = consume(await connect({ queue: audit, exchange, subscribe: ['payment.#'] }));
    const publisher = await connect({ queue: billing, exchange }, false);
    await expect(publisher.publishMessage('OrderCreated', { data: body('OrderCreated'), type: 'OrderCreated' })).resolves.toBe(true);
    await publisher.publishMessage('order.shipped', { data: body('order.shipped'), type: 'order.shipped' });
    await publisher.publishMessage('payment.card.declined', { data: body('payment.card.declined') });
    // nobody subscribes: taken by the broker, delivered to no one
    await expect(publisher.publishMessage('Nobody', { data: body('Nobody') })).resolves.toBe(true);
    await eventually(() => b.length === 1 && s.length === 2 && a.length === 1);
    await wait(100);
    expect(b.map(m => m.type)).toEqual(['OrderCreated']);
    expect(s.map(m => m.type).sort()).toEqual(['OrderCreated', 'order.shipped']);
    expect(a).toHaveLength(1);
    await broker.admin.channel(ch => ch.deleteExchange(exchange));
  });

  it('starts consuming on subscribe and cancels the consumer on unsubscribe (messages stay queued)', async () => {
    const queue = uniqueQueue('consumer');
    const service = await connect({ queue, prefetchCount: 5 });
    const received: TransportMessage[] = [];
    const subscription = service.message$.subscribe(m => received.push(m));
    await eventually(async () => (await broker.admin.inspect(queue))?.consumers === 1);
    subscription.unsubscribe();
    await eventually(async () => (await broker.admin.inspect(queue))?.consumers === 0);
    await service.emitMessage(queue, { data: body('Later') });
    await wait(200);
    expect(received).toHaveLength(0);
    expect((await broker.admin.inspect(queue))?.messages).toBe(1);
  });

  it('keeps prefetchCount messages unacknowledged at most, and nacks with resend back to the queue', async () => {
    const queue = uniqueQueue('prefetch');
    const service = await connect({ queue, prefetchCount: 2 });
    for (let i = 0; i < 5; i++) await service.emitMessage(queue, { data: body('P', i) });
    const received = consume(service);
    await eventually(() => received.length === 2);
    await wait(150);
    expect(received).toHaveLength(2);
    service.nackMessage(received[0], true);
    service.ackMessage(received[1]);
    await eventually(() => received.length === 4);
    // the resent one comes back, flagged as a redelivery (attempt 2)
    expect(received.filter(m => m.attempt === 2)).toHaveLength(1);
  });

  it('declares quorum queues with queueType quorum; a mismatched declaration fails at once with AmqpTopologyError', async () => {
    const queue = uniqueQueue('quorum');
    const service = await connect({ queue, queueType: 'quorum' });
    const received = consume(service);
    await service.emitMessage(queue, { data: body('Q') });
    await eventually(() => received.length === 1);
    service.nackMessage(received[0], true);
    // quorum queues count deliveries: the resent message is attempt 2
    await eventually(() => received.length === 2);
    expect(received[1].attempt).toBe(2);
    service.ackMessage(received[1]);
    const started = Date.now();
    const error = await createTransportLayer({ host: AMQP_URL, queue, timeout: 5000 })
      .connect({ isConsumer: false })
      .catch(e => e);
    expect(error).toBeInstanceOf(AmqpTopologyError);
    expect(error.message).toMatch(/inequivalent arg 'x-queue-type'.*same `queueOptions`\/`queueType`/s);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('with confirm: false, emit resolves once written and the message still arrives', async () => {
    const queue = uniqueQueue('no-confirm');
    const client = await connect({ queue, confirm: false }, false);
    await expect(client.emitMessage(queue, { data: body('Fast') })).resolves.toBe(true);
    await eventually(async () => (await broker.admin.inspect(queue))?.messages === 1);
  });

  it('negotiates the heartbeat and names its connection for operators', async () => {
    const queue = uniqueQueue('heartbeat');
    await connect({ queue, heartbeat: 7 }, false);
    const out = await rabbitmqctl('list_connections', 'client_properties', 'timeout', '--no-table-headers', '-q');
    const line = out.split('\n').find(l => l.includes(`tributary client ${queue}`));
    expect(line?.trim().split(/\s+/).pop()).toBe('7');
  });

  it('fails at once, saying how to fix it, on bad credentials or an unknown vhost', async () => {
    const started = Date.now();
    const credentials = await createTransportLayer({ host: AMQP_URL.replace(/:[^:@/]*@/, ':wrong@'), queue: uniqueQueue('auth'), timeout: 5000 })
      .connect()
      .catch(e => e);
    expect(credentials.name).toBe('BrokerAuthError');
    expect(credentials.message).toMatch(/refused the credentials.*check the user name and password in `host`/s);
    expect(credentials.message).not.toContain(':wrong@');
    const vhost = await createTransportLayer({ host: `${AMQP_URL}/no-such-vhost`, queue: uniqueQueue('vhost'), timeout: 5000 })
      .connect()
      .catch(e => e);
    expect(vhost.message).toMatch(/virtual host.*rabbitmqctl add_vhost/s);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('closes cleanly: status closed, close$ emits, pending calls fail, later calls are refused', async () => {
    const queue = uniqueQueue('close');
    const service = await connect({ queue });
    const statuses: string[] = [];
    service.status$.subscribe(s => statuses.push(String(s)));
    let closed = false;
    service.close$.subscribe(() => (closed = true));
    await service.close();
    expect(statuses).toEqual([ConnectionStatus.CONNECTED, ConnectionStatus.CLOSED]);
    expect(closed).toBe(true);
    await expect(service.emitMessage(queue, { data: body('After') })).rejects.toThrow(/closed/);
  });
});
