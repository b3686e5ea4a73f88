/**
 * Retries and dead letters through the transport SPI, against the real broker: the message
 * stays in the broker during the backoff (a retry queue per delay, dead-lettering back), and
 * the copy is confirmed before the original is acknowledged.
 */
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { Subscription } from 'rxjs';
import { AMQP_URL, eventually, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';

const body = (type: string, payload?: unknown): Buffer => Buffer.from(JSON.stringify({ type, payload }));
const failure = { name: 'PaymentDeclined', message: 'Card expired' };

describe('AMQP retries and dead letters (SPI)', () => {
  const broker = useSharedBroker();
  const declared: AmqpStrategyOptions[] = [];
  const open: TransportLayerConnection[] = [];
  const subscriptions: Subscription[] = [];

  const connect = async (options: Partial<AmqpStrategyOptions> & { queue: string }) => {
    const full = { host: AMQP_URL, timeout: 5000, ...options };
    declared.push(full);
    const connection = await createTransportLayer(full).connect({ isConsumer: true });
    open.push(connection);
    return connection;
  };

  const consume = (connection: TransportLayerConnection, onMessage?: (m: TransportMessage, at: number) => void) => {
    const received: Array<TransportMessage & { at: number }> = [];
    const subscription = connection.message$.subscribe(m => {
      const at = Date.now();
      received.push({ ...m, at });
      onMessage?.(m, at);
    });
    subscriptions.push(subscription);
    return { received, subscription };
  };


  afterEach(async () => {
    subscriptions.splice(0).forEach(s => s.unsubscribe());
    await Promise.all(open.splice(0).map(c => c.close()));
    await broker.admin.deleteTopology(...declared.splice(0));
  });


  it('redelivers a retried message after its delay, as the next attempt, with its metadata', async () => {
    const queue = uniqueQueue('retry');
    const service = await connect({ queue, retry: { initialDelay: 300, maxAttempts: 3 } });
    const { received } = consume(service);
    await service.emitMessage(queue, { data: body('Charge', 1), messageId: 'm-1', correlationId: 'c-1', type: 'Charge', headers: { tenant: 'acme' } });
    await eventually(() => received.length === 1);
    await service.retryMessage!(received[0], { delay: 300, attempt: 2, error: failure });
    // moved out of the main queue into the retry queue, original acknowledged
    expect((await broker.admin.inspect(`${queue}.retry.300`))?.messages).toBe(1);
    await eventually(() => received.length === 2, 3000);
    const [first, second] = received;
    expect(second.at - first.at).toBeGreaterThanOrEqual(280);
    expect(second).toMatchObject({ messageId: 'm-1', correlationId: 'c-1', type: 'Charge', headers: { tenant: 'acme' }, attempt: 2 });
    expect(second.data).toEqual(first.data);
    service.ackMessage(second);
    await service.close();
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 0, consumers: 0 });
  });

  it('keeps the message in the broker during the backoff: a consumer crash then loses nothing', async () => {
    const queue = uniqueQueue('retry-crash');
    const first = await connect({ queue, retry: { initialDelay: 400 } });
    const { received } = consume(first);
    await first.emitMessage(queue, { data: body('Charge'), messageId: 'm-2' });
    await eventually(() => received.length === 1);
    await first.retryMessage!(received[0], { delay: 400, attempt: 2, error: failure });
    // the process "dies" during the backoff; another instance comes up later
    await first.close();
    const second = await connect({ queue, retry: { initialDelay: 400 } });
    const { received: later } = consume(second);
    await eventually(() => later.length === 1, 3000);
    expect(later[0]).toMatchObject({ messageId: 'm-2', attempt: 2 });
    second.ackMessage(later[0]);
  });

  it('uses a retry queue per delay (no head-of-line blocking) and declares new delays on demand', async () => {
    const queue = uniqueQueue('retry-delays');
    const service = await connect({ queue, retry: { initialDelay: 100, maxAttempts: 2 } });
    const { received } = consume(service);
    await service.emitMessage(queue, { data: body('Slow'), messageId: 'slow' });
    await eventually(() => received.length === 1);
    await service.retryMessage!(received[0], { delay: 1500, attempt: 2, error: failure });
    await service.emitMessage(queue, { data: body('Fast'), messageId: 'fast' });
    await eventually(() => received.length === 2);
    await service.retryMessage!(received[1], { delay: 100, attempt: 2, error: failure });
    // the short delay is not stuck behind the long one
    await eventually(() => received.length === 3, 1000);
    expect(received[2].messageId).toBe('fast');
    await eventually(() => received.length === 4, 3000);
    expect(received[3].messageId).toBe('slow');
    received.slice(2).forEach(m => service.ackMessage(m));
    await broker.admin.deleteQueues(`${queue}.retry.1500`);
  });

  it('a zero delay puts the message straight back on the queue', async () => {
    const queue = uniqueQueue('retry-now');
    const service = await connect({ queue });
    const { received } = consume(service);
    await service.emitMessage(queue, { data: body('Now') });
    await eventually(() => received.length === 1);
    await service.retryMessage!(received[0], { delay: 0, attempt: 2, error: failure });
    await eventually(() => received.length === 2);
    expect(received[1].attempt).toBe(2);
    service.ackMessage(received[1]);
  });

  it('dead-letters with the error, attempts, reason and the original headers and properties', async () => {
    const queue = uniqueQueue('dead');
    const service = await connect({ queue });
    const { received } = consume(service);
    await service.emitMessage(queue, {
      data: body('Charge', 7),
      messageId: 'm-3',
      correlationId: 'c-3',
      type: 'Charge',
      headers: { tenant: 'acme' },
      attempt: 3,
    });
    await eventually(() => received.length === 1);
    await service.deadLetterMessage(received[0], { reason: 'failed', error: failure, attempts: 3 });
    await service.close();
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 0, consumers: 0 });
    const dead = await broker.admin.get(`${queue}.dead-letter`);
    expect(JSON.parse(dead!.content.toString())).toEqual({ type: 'Charge', payload: 7 });
    expect(dead!.properties).toMatchObject({ messageId: 'm-3', correlationId: 'c-3', type: 'Charge', deliveryMode: 2 });
    expect(dead!.properties.headers).toMatchObject({
      tenant: 'acme',
      'x-error-name': 'PaymentDeclined',
      'x-error-message': 'Card expired',
      'x-attempts': 3,
      'x-dead-letter-reason': 'failed',
      'x-original-queue': queue,
    });
  });

  it('dead-letters malformed bytes as they are, with reason malformed, and keeps consuming', async () => {
    const queue = uniqueQueue('malformed');
    const service = await connect({ queue });
    const { received } = consume(service);
    await broker.admin.sendRaw(queue, 'not json {');
    await eventually(() => received.length === 1);
    await service.deadLetterMessage(received[0], { reason: 'malformed', error: { name: 'MalformedMessageError', message: 'bad' }, attempts: 1 });
    await service.emitMessage(queue, { data: body('Good') });
    await eventually(() => received.length === 2);
    service.ackMessage(received[1]);
    const dead = await broker.admin.get(`${queue}.dead-letter`);
    expect(dead!.content.toString()).toBe('not json {');
    expect(dead!.properties.headers?.['x-dead-letter-reason']).toBe('malformed');
  });

  it('with deadLetter: false, rejects to the queue’s own dead-letter exchange instead', async () => {
    const queue = uniqueQueue('own-dlx');
    const parking = uniqueQueue('parking');
    await broker.admin.channel(ch => ch.assertQueue(parking));
    const service = await connect({ queue, deadLetter: false, queueOptions: { deadLetterExchange: '', deadLetterRoutingKey: parking } });
    const { received } = consume(service);
    await service.emitMessage(queue, { data: body('Rejected') });
    await eventually(() => received.length === 1);
    await service.deadLetterMessage(received[0], { reason: 'rejected', attempts: 1 });
    await eventually(async () => (await broker.admin.inspect(parking))?.messages === 1);
    expect(await broker.admin.inspect(`${queue}.dead-letter`)).toBeUndefined();
    await broker.admin.deleteQueues(parking);
  });

  it('settles each message once: ack after dead-letter or retry is ignored (no channel error)', async () => {
    const queue = uniqueQueue('once');
    const service = await connect({ queue });
    const errors: Error[] = [];
    service.error$.subscribe(e => errors.push(e));
    const { received } = consume(service);
    await service.emitMessage(queue, { data: body('A') });
    await service.emitMessage(queue, { data: body('B') });
    await eventually(() => received.length === 2);
    await service.deadLetterMessage(received[0], { reason: 'failed', attempts: 1 });
    service.ackMessage(received[0]);
    service.nackMessage(received[0], true);
    await service.retryMessage!(received[0], { delay: 0, attempt: 2, error: failure });
    service.ackMessage(received[1]);
    service.ackMessage(received[1]);
    await wait(200);
    expect(errors).toEqual([]);
    expect(received).toHaveLength(2);
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(1);
  });
});
