/**
 * Round-2 topology behaviour against the real broker: bindings a service no longer subscribes
 * to are removed at its next start, and retry queues are quorum queues under `queueType: 'quorum'`.
 */
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { amqpTopology, createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { AMQP_URL, eventually, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';

const body = (type: string): Buffer => Buffer.from(JSON.stringify({ type }));

describe('AMQP topology changes', () => {
  const broker = useSharedBroker();
  const declared: AmqpStrategyOptions[] = [];
  const open: TransportLayerConnection[] = [];

  const connect = async (options: Partial<AmqpStrategyOptions> & { queue: string }): Promise<TransportLayerConnection> => {
    const full = { host: AMQP_URL, timeout: 5000, ...options };
    declared.push(full);
    const connection = await createTransportLayer(full).connect({ isConsumer: true });
    open.push(connection);
    return connection;
  };

  /** Publishes `type` to the exchange with a throwaway exchange-less check: is it routed to `queue`? */
  const routes = async (exchange: string, queue: string, type: string): Promise<boolean> => {
    const before = (await broker.admin.inspect(queue))?.messages ?? 0;
    await broker.admin.channel(async ch => {
      ch.publish(exchange, type, body(type));
      await ch.waitForConfirms();
    });
    await wait(50);
    const after = (await broker.admin.inspect(queue))?.messages ?? 0;
    if (after > before) await broker.admin.get(queue);
    return after > before;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map(c => c.close()));
    await broker.admin.deleteTopology(...declared.splice(0));
  });

  it('removes the bindings a service no longer subscribes to at its next start, and keeps the others', async () => {
    const queue = uniqueQueue('bindings');
    const exchange = `${queue}.exchange`;
    const first = await connect({ queue, exchange, subscribe: ['order.created', 'order.paid', 'stock.*'] });
    expect(await routes(exchange, queue, 'order.paid')).toBe(true);
    await first.close();
    open.splice(0);

    await connect({ queue, exchange, subscribe: ['order.created', 'invoice.sent'] });
    expect(await routes(exchange, queue, 'order.created')).toBe(true);
    expect(await routes(exchange, queue, 'invoice.sent')).toBe(true);
    expect(await routes(exchange, queue, 'order.paid')).toBe(false);
    expect(await routes(exchange, queue, 'stock.low')).toBe(false);
    // one note left, the current one
    expect((await broker.admin.inspect(amqpTopology({ host: AMQP_URL, queue }).bindingNotes))?.messages).toBe(1);
    await broker.admin.channel(ch => ch.deleteExchange(exchange));
  });

  it('under queueType quorum, a retry queue is a quorum queue that brings the message back after its delay', async () => {
    const queue = uniqueQueue('quorum-retry');
    const service = await connect({ queue, queueType: 'quorum', retry: { initialDelay: 300, maxAttempts: 2 } });
    const retryQueue = amqpTopology({ host: AMQP_URL, queue, queueType: 'quorum', retry: { initialDelay: 300, maxAttempts: 2 } }).retryQueues[0];
    expect(retryQueue).toBe(`${queue}.retry.300.quorum`);
    const received: TransportMessage[] = [];
    service.message$.subscribe(m => received.push(m));
    await service.emitMessage(queue, { data: body('Charge'), messageId: 'q-1', type: 'Charge' });
    await eventually(() => received.length === 1);
    await service.retryMessage!(received[0], { delay: 300, attempt: 2, error: { name: 'Declined', message: 'try again' } });
    // redeclaring it as classic fails: it is a quorum queue
    await expect(broker.admin.channel(ch => ch.assertQueue(retryQueue, { durable: true, arguments: { 'x-queue-type': 'classic' } }))).rejects.toThrow(/PRECONDITION_FAILED|inequivalent/);
    await eventually(() => received.length === 2, 5000);
    expect(received[1].attempt).toBe(2);
    expect(received[1].messageId).toBe('q-1');
  });
});
