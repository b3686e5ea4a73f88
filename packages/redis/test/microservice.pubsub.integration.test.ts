import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { reply, TimeoutError } from '@tributary/messaging';
import type { MsgEffect, MsgOutputEffect } from '@tributary/messaging';
import { delay, firstValueFrom, forkJoin, map, tap } from 'rxjs';
import { RedisTestBed, sleep, waitFor } from './helpers';
import { RedisServices } from './services';

/** The Marble.js v4 Redis server scenarios (messaging.server.redis.spec), on Tributary, pubsub mode. */
describe('Redis microservice, pubsub mode (Marble.js scenarios)', () => {
  let bed: RedisTestBed;
  let services: RedisServices;

  beforeEach(() => {
    bed = new RedisTestBed();
    services = new RedisServices(bed);
  });

  afterEach(async () => {
    await services.close();
    await bed.close();
  });

  /** An output$ effect recording what the service sends. */
  const recordOutputs = (): { output$: MsgOutputEffect; outputs: Event[] } => {
    const outputs: Event[] = [];
    return { outputs, output$: event$ => event$.pipe(tap(event => outputs.push(event))) };
  };

  const increment$: MsgEffect = event$ =>
    event$.pipe(
      matchEvent('INCREMENT'),
      act(event => ({ ...event, type: 'INCREMENT_RESULT', payload: (event.payload as number) + 1 })),
      delay(50),
    );

  test('starts a server and closes it (and a client) at once, leaving no connection behind', async () => {
    const channel = bed.channel('start');
    const connection = await services.service({ channel }, { effects: [increment$] });
    const client = await services.client({ channel });
    expect(connection.config.raw).toEqual(expect.objectContaining({ channel, keyPrefix: bed.keyPrefix }));
    // used once: MessagingClient.close() only closes a connection it has used (reported to @tributary/messaging)
    await client.emit({ type: 'INCREMENT', payload: 0 });
    await connection.close();
    await client.close();
    const clients = String(await bed.admin.call('CLIENT', 'LIST'));
    expect(clients).not.toContain(bed.id.slice(0, 8));
  });

  test('concurrent sends each get their own result', async () => {
    const channel = bed.channel('math');
    await services.service({ channel }, { effects: [increment$] });
    const client = await services.client({ channel });

    const results = await firstValueFrom(forkJoin(Array.from({ length: 50 }, (_, i) => client.send({ type: 'INCREMENT', payload: i }))));
    expect(results.map(result => result.payload)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.every(result => result.type === 'INCREMENT_RESULT')).toBe(true);
  });

  test('concurrent sends sharing a correlationId each get their own result', async () => {
    const channel = bed.channel('saga');
    await services.service({ channel }, { effects: [increment$] });
    const client = await services.client({ channel });
    const metadata = { correlationId: 'order-42' };
    const results = await firstValueFrom(forkJoin([1, 2, 3].map(n => client.send({ type: 'INCREMENT', payload: n, metadata }))));
    expect(results.map(result => result.payload)).toEqual([2, 3, 4]);
    expect(results.every(result => result.metadata?.correlationId === 'order-42')).toBe(true);
  });

  test('an error reply rejects the send with the remote error', async () => {
    const channel = bed.channel('errors');
    const test$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('TEST'),
        map(event => reply(event)({ type: 'TEST_RESULT', error: { name: 'PaymentDeclined', message: 'test_error' } })),
      );
    await services.service({ channel }, { effects: [test$] });
    const client = await services.client({ channel });

    const error = await firstValueFrom(client.send({ type: 'TEST', payload: 'a::b' })).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toEqual(expect.objectContaining({ name: 'PaymentDeclined', message: 'test_error' }));
  });

  test('a send nobody handles rejects at once (not after the timeout)', async () => {
    const channel = bed.channel('nohandler');
    await services.service({ channel }, { effects: [increment$] });
    const client = await services.client({ channel, timeout: 10_000 });

    const started = Date.now();
    const error = await firstValueFrom(client.send({ type: 'UNKNOWN' })).catch(e => e);
    expect(error.name).toBe('UnhandledEventError');
    expect(error.message).toContain('UNKNOWN');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('a send to a channel no service listens on times out with TimeoutError', async () => {
    const client = await services.client({ channel: bed.channel('nobody'), timeout: 300 });
    const error = await firstValueFrom(client.send({ type: 'TEST' })).catch(e => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  test('emit: the result goes back to the service’s own channel', async () => {
    const channel = bed.channel('emit');
    const { output$, outputs } = recordOutputs();
    await services.service({ channel }, { effects: [increment$], output$ });
    const client = await services.client({ channel });

    await client.emit({ type: 'INCREMENT', payload: 1 });
    await waitFor(() => outputs.length === 1, 3_000, 'output');
    expect(outputs[0]).toEqual(expect.objectContaining({ type: 'INCREMENT_RESULT', payload: 2, metadata: expect.objectContaining({ correlationId: expect.any(String) }) }));
  });

  test('chains events through the origin channel when no reply address is given', async () => {
    const channel = bed.channel('chain');
    const { output$, outputs } = recordOutputs();
    const test1$: MsgEffect = event$ => event$.pipe(matchEvent('TEST_1'), delay(25), map(() => ({ type: 'TEST_2' })));
    const test2$: MsgEffect = event$ => event$.pipe(matchEvent('TEST_2'), delay(25), map(() => ({ type: 'TEST_3' })));
    await services.service({ channel }, { effects: [test1$, test2$], output$ });
    const client = await services.client({ channel });

    await client.emit({ type: 'TEST_1' });
    await waitFor(() => outputs.length === 2, 3_000, 'chain');
    expect(outputs.map(event => event.type)).toEqual(['TEST_2', 'TEST_3']);
  });

  test('replies to another channel once, without looping', async () => {
    const channel = bed.channel('origin');
    const elsewhere = bed.channel('elsewhere');
    const { output$, outputs } = recordOutputs();
    const test$: MsgEffect = event$ => event$.pipe(matchEvent('TEST'), map(reply(elsewhere)));
    await services.service({ channel }, { effects: [test$], output$ });
    const client = await services.client({ channel });
    const spy = bed.admin.duplicate();
    const seen: string[] = [];
    spy.on('message', (_channel, message) => seen.push(message));
    await spy.subscribe(bed.key(elsewhere));

    await client.emit({ type: 'TEST', payload: 'x::y' });
    await waitFor(() => seen.length === 1, 3_000, 'reply elsewhere');
    await sleep(200);
    expect(outputs).toEqual([expect.objectContaining({ type: 'TEST', metadata: expect.objectContaining({ replyTo: elsewhere }) })]);
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0])).toEqual(expect.objectContaining({ type: 'TEST', payload: 'x::y' }));
    await spy.quit();
  });

  test('publish reaches every subscribed service once', async () => {
    const billingSeen: Event[] = [];
    const auditSeen: Event[] = [];
    const billing$: MsgEffect = event$ => event$.pipe(matchEvent('order.created'), act(event => void billingSeen.push(event)));
    const audit$: MsgEffect = event$ => event$.pipe(matchEvent('order.created', 'order.paid'), act(event => void auditSeen.push(event)));
    await services.service({ channel: bed.channel('billing'), subscribe: ['order.created'] }, { effects: [billing$] });
    await services.service({ channel: bed.channel('audit'), subscribe: ['order.*', '#'] }, { effects: [audit$] });
    const client = await services.client({ channel: bed.channel('shop') });
    // no wait: a started microservice is subscribed

    await client.publish({ type: 'order.created', payload: { id: 1 } });
    await client.publish({ type: 'order.paid', payload: { id: 1 } });
    await waitFor(() => billingSeen.length === 1 && auditSeen.length === 2, 3_000, 'fan-out');
    await sleep(200);
    expect(billingSeen).toHaveLength(1);
    expect(auditSeen.map(event => event.type).sort()).toEqual(['order.created', 'order.paid']);
  });
});
