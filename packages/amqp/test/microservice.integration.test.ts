/**
 * Marble.js v4's AMQP scenarios, end to end with `createMicroservice` / `MessagingClient` on
 * the real broker.
 */
import { act, EventError, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { ackEvent, reply, UnhandledEventError } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { delay, firstValueFrom, from, map, of } from 'rxjs';
import { eventually, rabbitmqctl, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';
import { Services } from './helpers/services';

const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));

const fib$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent('FIB'),
    act(event => of(event).pipe(delay(Math.random() * 10), map(e => reply(e)({ type: 'FIB_RESULT', payload: fib(e.payload as number) })))),
  );

const fail$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent('FAIL'),
    act(event => {
      throw new EventError(event, 'Amount must be positive', { amount: event.payload });
    }),
  );

describe('Marble.js AMQP scenarios on Tributary', () => {
  const broker = useSharedBroker();
  const services = new Services();


  afterEach(() => services.stopAll(broker.admin));


  it('starts and closes a service and a client without hanging, leaving no connection open', async () => {
    const queue = uniqueQueue('start');
    const started = Date.now();
    const service = await services.service(queue, { effects: [fib$] });
    const client = await services.client(queue);
    // used once: MessagingClient.close() of @tributary/messaging 0.1.0 skips a never-used connection
    expect((await firstValueFrom(client.send({ type: 'FIB', payload: 3 }))).payload).toBe(2);
    await client.close();
    await service.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await broker.admin.inspect(queue)).toEqual({ messages: 0, consumers: 0 });
    await eventually(async () => !(await rabbitmqctl('list_connections', 'client_properties', '-q')).includes(queue), 3000);
  });

  it('gives each of 100 concurrent sends its own result', async () => {
    const queue = uniqueQueue('fib');
    await services.service(queue, { effects: [fib$] });
    const client = await services.client(queue);
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => firstValueFrom(client.send({ type: 'FIB', payload: i % 20 }))));
    expect(replies.map(r => r.payload)).toEqual(Array.from({ length: 100 }, (_, i) => fib(i % 20)));
    expect(replies.every(r => r.type === 'FIB_RESULT')).toBe(true);
    expect(new Set(replies.map(r => r.metadata?.correlationId)).size).toBe(100);
  });

  it('rejects a send with the remote EventError (and its data); an unhandled type fails fast', async () => {
    const queue = uniqueQueue('fail');
    await services.service(queue, { effects: [fib$, fail$] });
    const client = await services.client(queue);
    const error = await firstValueFrom(client.send({ type: 'FAIL', payload: -5 })).catch(e => e);
    expect(error).toBeInstanceOf(EventError);
    expect(error.message).toBe('Amount must be positive');
    expect(error.data).toEqual({ amount: -5 });
    const started = Date.now();
    const unhandled = await firstValueFrom(client.send({ type: 'NOBODY' })).catch(e => e);
    expect(unhandled.name).toBe(new UnhandledEventError('NOBODY', queue).name);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('chains events through the origin queue (an output without replyTo goes back to the service)', async () => {
    const queue = uniqueQueue('chain');
    const steps: Event[] = [];
    const placed$: MsgEffect = event$ => event$.pipe(matchEvent('OrderPlaced'), act(e => ({ type: 'ReserveStock', payload: e.payload, metadata: e.metadata })));
    const reserve$: MsgEffect = event$ => event$.pipe(matchEvent('ReserveStock'), act(e => void steps.push(e)));
    await services.service(queue, { effects: [placed$, reserve$] });
    const client = await services.client(queue);
    await client.emit({ type: 'OrderPlaced', payload: { id: 7 }, metadata: { id: 'order-7', correlationId: 'flow-7' } });
    await eventually(() => steps.length === 1);
    expect(steps[0]).toMatchObject({ type: 'ReserveStock', payload: { id: 7 }, metadata: { correlationId: 'flow-7', causationId: 'order-7' } });
    await wait(200);
    expect(steps).toHaveLength(1);
  });

  it('replies to another channel exactly once', async () => {
    const queue = uniqueQueue('origin');
    const other = uniqueQueue('other');
    const seen: Event[] = [];
    const forward$: MsgEffect = event$ => event$.pipe(matchEvent('Audit'), act(e => reply(other)({ type: 'Audited', payload: e.payload })));
    await services.service(other, { effects: [event$ => event$.pipe(matchEvent('Audited'), act(e => void seen.push(e)))] });
    await services.service(queue, { effects: [forward$] });
    const client = await services.client(queue);
    await client.emit({ type: 'Audit', payload: 'a-1' });
    await eventually(() => seen.length === 1);
    await wait(300);
    expect(seen.map(e => e.payload)).toEqual(['a-1']);
  });

  it('consumes a message emitted before the service started, once it starts', async () => {
    const queue = uniqueQueue('early');
    const client = await services.client(queue);
    await client.emit({ type: 'Early', payload: 'x' });
    const seen: unknown[] = [];
    await services.service(queue, { effects: [event$ => event$.pipe(matchEvent('Early'), act(e => void seen.push(e.payload)))] });
    await eventually(() => seen.length === 1);
    expect(seen).toEqual(['x']);
  });

  it('expectAck: ackEvent settles the message; it is neither redelivered nor dead-lettered', async () => {
    const queue = uniqueQueue('ack');
    const acked: boolean[] = [];
    const ack$: MsgEffect = (event$, ctx) =>
      event$.pipe(
        matchEvent('Job'),
        act(e => from(ackEvent(ctx)(e)()).pipe(map(ok => void acked.push(ok) as never))),
      );
    const service = await services.service(queue, { effects: [ack$] }, { expectAck: true, timeout: 500 });
    const client = await services.client(queue);
    await client.emit({ type: 'Job' });
    await eventually(() => acked.length === 1);
    await wait(700);
    expect(acked).toEqual([true]);
    expect(service.inFlight).toBe(0);
    await service.close();
    expect((await broker.admin.inspect(queue))?.messages).toBe(0);
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(0);
  });

  it('expectAck: an event nobody acknowledges is rejected after timeout while the next is processed', async () => {
    const queue = uniqueQueue('ack-timeout');
    const seen: unknown[] = [];
    const effect$: MsgEffect = (event$, ctx) =>
      event$.pipe(
        matchEvent('Job'),
        act(e => {
          seen.push(e.payload);
          return e.payload === 'ignored' ? undefined : from(ackEvent(ctx)(e)()).pipe(map(() => undefined as never));
        }),
      );
    const service = await services.service(queue, { effects: [effect$] }, { expectAck: true, timeout: 400 });
    const client = await services.client(queue);
    await client.emit({ type: 'Job', payload: 'ignored' });
    await client.emit({ type: 'Job', payload: 'next' });
    // the second is processed while the first still waits for its ack
    await eventually(() => seen.length === 2, 300);
    await eventually(async () => (await broker.admin.inspect(`${queue}.dead-letter`))?.messages === 1, 3000);
    const dead = await broker.admin.get(`${queue}.dead-letter`);
    expect(dead?.properties.headers?.['x-dead-letter-reason']).toBe('timeout');
    expect(JSON.parse(dead!.content.toString()).payload).toBe('ignored');
    expect(service.inFlight).toBe(0);
  });
});
