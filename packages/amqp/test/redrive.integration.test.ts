/**
 * Redrive on RabbitMQ: dead letters go back to the service queue as fresh deliveries with
 * their original headers, each exactly once, removed only after the broker confirmed them.
 */
import { act, matchEvent } from '@tributary/core';
import type { EventMetadata } from '@tributary/core';
import { redriveDeadLetters, RedriveFailedError, Transport } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { AMQP_URL, eventually, uniqueQueue } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';
import { produceDeadLetters } from './helpers/deadLetters';
import { Services } from './helpers/services';

describe('redriveDeadLetters on RabbitMQ', () => {
  const broker = useSharedBroker();
  const services = new Services();
  afterEach(() => services.stopAll(broker.admin));

  const declare = async (queue: string): Promise<void> => {
    services.options(queue); // remembered for clean-up
    await broker.admin.channel(async ch => {
      await ch.assertQueue(queue, { durable: true });
      await ch.assertQueue(`${queue}.dead-letter`, { durable: true });
    });
  };

  it('moves 1,000 dead letters back: none lost, none duplicated (by id), fresh attempt, original headers', async () => {
    const queue = uniqueQueue('redrive1000');
    await declare(queue);
    await broker.admin.channel(ch => produceDeadLetters(ch, queue, 1000));
    const started = Date.now();
    const progress: number[] = [];
    const result = await redriveDeadLetters({ transport: Transport.AMQP, options: { host: AMQP_URL, queue, timeout: 5000 }, onProgress: p => progress.push(p.moved) });
    const took = Date.now() - started;
    expect(result.moved).toBe(1000);
    expect(result.matched).toBe(1000);
    expect(progress[progress.length - 1]).toBe(1000);
    expect(await broker.admin.inspect(`${queue}.dead-letter`)).toEqual({ messages: 0, consumers: 0 });
    expect((await broker.admin.inspect(queue))?.messages).toBe(1000);

    const ids: string[] = [];
    await broker.admin.channel(async ch => {
      for (let msg = await ch.get(queue, { noAck: true }); msg; msg = await ch.get(queue, { noAck: true })) {
        ids.push(String(msg.properties.messageId));
        if (ids.length === 1) {
          expect(msg.properties).toMatchObject({ messageId: 'dl-0', correlationId: 'c-0', type: 'OrderCancelled', deliveryMode: 2, contentType: 'application/json' });
          expect(msg.properties.headers).toEqual({ tenant: 'acme', 'x-key': 'k-0' });
          expect(JSON.parse(msg.content.toString())).toEqual({ type: 'OrderCancelled', payload: { n: 0 } });
        }
      }
    });
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    // the order of the dead-letter queue is kept
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => `dl-${i}`));
    process.stdout.write(`amqp: redrove 1000 dead letters in ${took} ms\n`);
  }, 60_000);

  it('a fixed service processes a redriven event as attempt 1 with its headers; dry run and filter move nothing else', async () => {
    const queue = uniqueQueue('redrive-fixed');
    const retry = { maxAttempts: 2, initialDelay: 20, maxDelay: 20 };
    const failing$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Charge', 'Refund'),
        act(() => {
          throw new Error('bug: fixed in the next release');
        }),
      );
    const broken = await services.service(queue, { effects: [failing$] }, { retry });
    const client = await services.client(queue);
    await client.emit({ type: 'Charge', payload: 1, metadata: { id: 'charge-1', headers: { tenant: 'acme', trace: 't1' }, key: 'order-1' } });
    await client.emit({ type: 'Charge', payload: 2, metadata: { id: 'charge-2', headers: { tenant: 'acme' } } });
    await client.emit({ type: 'Refund', payload: 3, metadata: { id: 'refund-3' } });
    await eventually(async () => (await broker.admin.inspect(`${queue}.dead-letter`))?.messages === 3, 10_000);
    await broken.close();
    const options = { host: AMQP_URL, queue, timeout: 5000 };

    const dry = await redriveDeadLetters({ transport: Transport.AMQP, options, dryRun: true });
    expect(dry.moved).toBe(0);
    // the three failed side by side: their dead letters may come in any order
    expect(dry.letters.map(l => l.id).sort()).toEqual(['charge-1', 'charge-2', 'refund-3']);
    const charge1 = dry.letters.find(l => l.id === 'charge-1')!;
    expect(charge1).toMatchObject({ type: 'Charge', reason: 'failed', errorName: 'Error', errorMessage: 'bug: fixed in the next release', attempts: 2, headers: { tenant: 'acme', trace: 't1' }, source: queue });
    expect(Date.now() - charge1.deadLetteredAt!).toBeLessThan(60_000);
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(3);
    expect((await broker.admin.inspect(queue))?.messages).toBe(0);

    const seen: EventMetadata[] = [];
    const fixed$: MsgEffect = e$ => e$.pipe(matchEvent('Charge', 'Refund'), act(e => void seen.push(e.metadata)));
    await services.service(queue, { effects: [fixed$] }, { retry });
    const moved = await redriveDeadLetters({ transport: Transport.AMQP, options, filter: { type: 'Charge' } });
    expect(moved).toMatchObject({ moved: 2, matched: 2 });
    await eventually(() => seen.length === 2, 5000);
    expect(seen.map(m => [m.id, m.attempt, m.headers, m.key]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['charge-1', 1, { tenant: 'acme', trace: 't1' }, 'order-1'],
      ['charge-2', 1, { tenant: 'acme' }, undefined],
    ]);
    // the Refund stays a dead letter, in place
    const left = await redriveDeadLetters({ transport: Transport.AMQP, options, dryRun: true });
    expect(left.letters.map(l => l.id)).toEqual(['refund-3']);
  }, 30_000);

  it('keeps the letter when the service queue is gone (the resend came back unroutable)', async () => {
    const queue = uniqueQueue('redrive-noqueue');
    await declare(queue);
    await broker.admin.channel(ch => produceDeadLetters(ch, queue, 3));
    await broker.admin.deleteQueues(queue);
    const attempt = redriveDeadLetters({ transport: Transport.AMQP, options: { host: AMQP_URL, queue, timeout: 5000 }, concurrency: 1 });
    await expect(attempt).rejects.toThrow(RedriveFailedError);
    await expect(attempt).rejects.toThrow(/stopped after 0 of 3/);
    await eventually(async () => (await broker.admin.inspect(`${queue}.dead-letter`))?.messages === 3);
  });
});
