/**
 * The delivery contract end to end on RabbitMQ: publish fan-out, competing instances,
 * retry then success, dead letter after max attempts, malformed and unhandled messages,
 * drain on close.
 */
import { act, matchEvent } from '@tributary/core';
import { MalformedMessageError } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { delay, map, of } from 'rxjs';
import { eventually, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';
import { Services } from './helpers/services';

describe('delivery contract on RabbitMQ', () => {
  const broker = useSharedBroker();
  const services = new Services();


  afterEach(() => services.stopAll(broker.admin));


  it('publish: two subscribed services each get every event once; two instances of one service share theirs', async () => {
    const payments = uniqueQueue('payments');
    const inventory = uniqueQueue('inventory');
    const exchange = `test.amqp.exchange.${payments}`;
    const got: Array<[string, number]> = [];
    const effect = (name: string): MsgEffect => event$ =>
      event$.pipe(matchEvent('OrderCreated'), act(e => void got.push([name, e.payload as number])));
    const subscribed = { exchange, subscribe: ['OrderCreated'] };
    await services.service(payments, { effects: [effect('payments-1')] }, subscribed);
    await services.service(payments, { effects: [effect('payments-2')] }, { ...subscribed, prefetchCount: 1 });
    await services.service(inventory, { effects: [effect('inventory')] }, { exchange, subscribe: ['Order*', '#'] });
    const client = await services.client(uniqueQueue('orders'), { exchange });
    for (let i = 0; i < 20; i++) await client.publish({ type: 'OrderCreated', payload: i });
    await eventually(() => got.length === 40);
    await wait(200);
    expect(got).toHaveLength(40);
    const of_ = (prefix: string) => got.filter(([name]) => name.startsWith(prefix));
    expect(of_('inventory').map(([, i]) => i).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(of_('payments').map(([, i]) => i).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    // competing instances: both took a share
    expect(of_('payments-1').length).toBeGreaterThan(0);
    expect(of_('payments-2').length).toBeGreaterThan(0);
    await broker.admin.channel(ch => ch.deleteExchange(exchange));
  });

  it('retries a failing event with backoff, counting attempts, until it succeeds', async () => {
    const queue = uniqueQueue('flaky');
    const attempts: Array<[number, number]> = [];
    const flaky$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Charge'),
        act(e => {
          attempts.push([e.metadata!.attempt as number, Date.now()]);
          if ((e.metadata!.attempt as number) < 3) throw new Error('gateway down');
          return undefined;
        }),
      );
    const service = await services.service(queue, { effects: [flaky$] }, { retry: { initialDelay: 150, maxAttempts: 5 } });
    const client = await services.client(queue);
    await client.emit({ type: 'Charge', payload: 10 });
    await eventually(() => attempts.length === 3, 5000);
    expect(attempts.map(([a]) => a)).toEqual([1, 2, 3]);
    // 150 ms then 300 ms of backoff, spent in the broker's retry queues
    expect(attempts[1][1] - attempts[0][1]).toBeGreaterThanOrEqual(140);
    expect(attempts[2][1] - attempts[1][1]).toBeGreaterThanOrEqual(290);
    await eventually(() => service.inFlight === 0);
    await wait(300);
    expect(attempts).toHaveLength(3);
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(0);
  });

  it('dead-letters after max attempts with the error, attempts and original headers', async () => {
    const queue = uniqueQueue('poison');
    let attempts = 0;
    const failing$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Charge'),
        act(() => {
          attempts++;
          throw new TypeError('card number is not a string');
        }),
      );
    await services.service(queue, { effects: [failing$] }, { retry: { initialDelay: 50, maxAttempts: 3 } });
    const client = await services.client(queue);
    await client.emit({ type: 'Charge', payload: { card: 4 }, metadata: { id: 'charge-1', headers: { tenant: 'acme' } } });
    await eventually(async () => (await broker.admin.inspect(`${queue}.dead-letter`))?.messages === 1, 5000);
    expect(attempts).toBe(3);
    const dead = await broker.admin.get(`${queue}.dead-letter`);
    expect(JSON.parse(dead!.content.toString())).toMatchObject({ type: 'Charge', payload: { card: 4 } });
    expect(dead!.properties.messageId).toBe('charge-1');
    expect(dead!.properties.headers).toMatchObject({
      tenant: 'acme',
      'x-error-name': 'TypeError',
      'x-error-message': 'card number is not a string',
      'x-attempts': 3,
      'x-dead-letter-reason': 'failed',
    });
    expect((await broker.admin.inspect(queue))?.messages).toBe(0);
  });

  it('dead-letters malformed bodies (reason malformed), reports them on error$, and keeps consuming', async () => {
    const queue = uniqueQueue('malformed');
    const seen: unknown[] = [];
    const service = await services.service(queue, { effects: [event$ => event$.pipe(matchEvent('Good'), act(e => void seen.push(e.payload)))] });
    const errors: Error[] = [];
    service.error$.subscribe(e => errors.push(e));
    await broker.admin.sendRaw(queue, 'not json {');
    await broker.admin.sendRaw(queue, '{"payload":"no type"}');
    await broker.admin.sendRaw(queue, '{"type":"Good","payload":1}');
    await eventually(() => seen.length === 1);
    await eventually(async () => (await broker.admin.inspect(`${queue}.dead-letter`))?.messages === 2);
    const first = await broker.admin.get(`${queue}.dead-letter`);
    expect(first!.content.toString()).toBe('not json {');
    expect(first!.properties.headers).toMatchObject({ 'x-dead-letter-reason': 'malformed', 'x-error-name': 'MalformedMessageError' });
    expect(errors.filter(e => e instanceof MalformedMessageError)).toHaveLength(2);
  });

  it('dead-letters an emitted event no effect handles (reason unhandled)', async () => {
    const queue = uniqueQueue('unhandled');
    await services.service(queue, { effects: [event$ => event$.pipe(matchEvent('Known'), act(() => undefined))] });
    const client = await services.client(queue);
    await client.emit({ type: 'Unknown' });
    await eventually(async () => (await broker.admin.inspect(`${queue}.dead-letter`))?.messages === 1);
    const dead = await broker.admin.get(`${queue}.dead-letter`);
    expect(dead!.properties.headers?.['x-dead-letter-reason']).toBe('unhandled');
  });

  it('drains on close: stops consuming, lets in-flight events finish and ack, leaves the rest queued', async () => {
    const queue = uniqueQueue('drain');
    const done: number[] = [];
    const slow$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Slow'),
        act(e => of(e).pipe(delay(400), map(() => void done.push(e.payload as number)))),
      );
    const service = await services.service(queue, { effects: [slow$] }, { prefetchCount: 3 });
    const client = await services.client(queue);
    for (let i = 0; i < 5; i++) await client.emit({ type: 'Slow', payload: i });
    await eventually(() => service.inFlight === 3);
    await service.close({ drainTimeout: 5000 });
    // the three in flight finished and were acknowledged; the other two never started
    expect(done.sort()).toEqual([0, 1, 2]);
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 2, consumers: 0 });
  });
});
