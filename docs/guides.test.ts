/**
 * The guides' claims, run. Each test names the page and section whose sentence it checks;
 * when one fails, the code or the page is wrong. (The tests shown in the pages themselves are
 * run by scripts/check-docs.mjs.)
 */
import { act, bindEagerlyTo, bindTo, contextFactory, createContextToken, Event, EventError, lookup, matchEvent, useContext } from '@tributary/core';
import { ackEvent, createMicroservice, dedupe, DEFAULT_RETRY_OPTIONS, EventBus, EventBusClient, EventBusClientToken, EventBusToken, LocalBroker, MessagingClient, messagingListener, MessagingListenerConfig, MicroserviceConnection, RemoteError, reply, ServerEvent, Transport } from '@tributary/messaging';
import { retryDelay } from '@tributary/messaging/transport';
import { firstValueFrom, from, map, tap } from 'rxjs';

const broker = new LocalBroker();
let n = 0;
const running: MicroserviceConnection[] = [];

const service = async (config: MessagingListenerConfig, options: Record<string, unknown> = {}) => {
  const channel = `guides-${++n}`;
  const microservice = await createMicroservice({
    transport: Transport.LOCAL,
    options: { channel, broker, retry: { initialDelay: 1 }, ...options },
    listener: messagingListener(config),
  });
  const connection = await microservice();
  running.push(connection);
  const Client = createContextToken<MessagingClient>('Client');
  const context = await contextFactory(bindEagerlyTo(Client)(MessagingClient({ transport: Transport.LOCAL, options: { channel, broker, timeout: 1000 } })));
  return { channel, connection, client: useContext(Client)(lookup(context)) };
};

const settled = async (connection: MicroserviceConnection) => {
  for (let i = 0; i < 200 && (connection.inFlight > 0 || broker.depth(connection.getChannel()) > 0); i++) await new Promise(r => setTimeout(r, 5));
  await new Promise(r => setTimeout(r, 20));
};

afterAll(async () => {
  await Promise.all(running.map(c => c.close({ drainTimeout: 100 })));
  broker.reset();
});

describe('messaging.md', () => {
  it('when a message is acknowledged: a failed request is answered, not retried nor dead-lettered', async () => {
    let calls = 0;
    const { channel, client } = await service({ effects: [e$ => e$.pipe(matchEvent('Rpc'), act(() => { calls++; throw new TypeError('boom'); }))] });
    const error = await firstValueFrom(client.send({ type: 'Rpc' })).catch(e => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ name: 'TypeError', message: 'boom' });
    await new Promise(r => setTimeout(r, 30));
    expect(calls).toBe(1);
    expect(broker.getDeadLetters(channel)).toEqual([]);
  });

  it('when a message is acknowledged: an EventError dead-letters an emitted event at once', async () => {
    const { channel, client, connection } = await service({ effects: [e$ => e$.pipe(matchEvent('Bad'), act(e => { throw new EventError(e, 'no'); }))] });
    await client.emit({ type: 'Bad' });
    await settled(connection);
    expect(broker.getDeadLetters(channel).map(l => l.info)).toEqual([{ reason: 'failed', attempts: 1, error: expect.objectContaining({ name: 'EventError', message: 'no' }) }]);
  });

  it('error events of non-requests are not sent; an errorFn-handled failure is acknowledged', async () => {
    const seen: string[] = [];
    const { channel, client, connection } = await service({
      effects: [e$ => e$.pipe(matchEvent('Job'), act(() => { throw new Error('x'); }, (_error, e) => ({ type: 'JobFailed', metadata: e.metadata })))],
    });
    connection.event$.subscribe(e => seen.push(e.type));
    await client.emit({ type: 'Job' });
    await settled(connection);
    expect(seen).toEqual(['Job']); // JobFailed was not sent anywhere
    expect(broker.getDeadLetters(channel)).toEqual([]);
  });

  it('replies and where outputs go: an output without replyTo goes back to the own queue', async () => {
    const { channel, client, connection } = await service({ effects: [e$ => e$.pipe(matchEvent('Ping'), map(() => ({ type: 'Pong' })))] });
    await client.emit({ type: 'Ping' });
    await settled(connection);
    expect(broker.getDeadLetters(channel).map(l => [l.message.type, l.info.reason])).toEqual([['Pong', 'unhandled']]);
  });

  it('replies and where outputs go: a reply to an emitted event is dropped', async () => {
    const seen: string[] = [];
    const { channel, client, connection } = await service({ effects: [e$ => e$.pipe(matchEvent('Ping'), act(e => reply(e)({ type: 'Pong' })))] });
    connection.event$.subscribe(e => seen.push(e.type));
    await client.emit({ type: 'Ping' });
    await settled(connection);
    expect(seen).toEqual(['Ping']);
    expect(broker.getDeadLetters(channel)).toEqual([]);
  });

  it('the listener: the default error$ answers a request whose effect crashed outside act', async () => {
    const { client } = await service({ effects: [e$ => e$.pipe(matchEvent('Crash'), tap(() => { throw new Error('bug'); }))] });
    await expect(firstValueFrom(client.send({ type: 'Crash' }))).rejects.toMatchObject({ name: 'Error', message: 'bug' });
  });

  it('unhandled events: a request is answered at once with an UnhandledEventError, by name', async () => {
    const { client } = await service({ effects: [] });
    const error = await firstValueFrom(client.send({ type: 'Nobody' })).catch(e => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.name).toBe('UnhandledEventError');
  });

  it('retries: attempts count, the id and headers are kept; retryDelay', async () => {
    const attempts: Array<[unknown, unknown, unknown]> = [];
    const { client, connection } = await service({
      effects: [e$ => e$.pipe(matchEvent('Flaky'), act(e => { attempts.push([e.metadata.attempt, e.metadata.id, e.metadata.headers]); if (attempts.length < 3) throw new Error('again'); }))],
    });
    await client.emit({ type: 'Flaky', metadata: { id: 'flaky-1', headers: { tenant: 'acme' } } });
    await settled(connection);
    expect(attempts).toEqual([1, 2, 3].map(a => [a, 'flaky-1', { tenant: 'acme' }]));
    expect(retryDelay({ ...DEFAULT_RETRY_OPTIONS, initialDelay: 500, maxDelay: 10_000 }, 1)).toBe(500);
    expect(retryDelay({ ...DEFAULT_RETRY_OPTIONS, initialDelay: 500, maxDelay: 10_000 }, 3)).toBe(2000);
    expect([1, 2, 3, 4].map(a => retryDelay(DEFAULT_RETRY_OPTIONS, a))).toEqual([200, 400, 800, 1600]);
  });

  it('idempotency: dedupe drops a repeated emitted event, lets requests through', async () => {
    let runs = 0;
    const { client, connection } = await service({
      middlewares: [dedupe()],
      effects: [e$ => e$.pipe(matchEvent('Get'), act(e => { runs++; return reply(e)({ type: 'Got' }); }))],
    });
    await client.emit({ type: 'Get', metadata: { id: 'get-1' } });
    await client.emit({ type: 'Get', metadata: { id: 'get-1' } });
    await settled(connection);
    expect(runs).toBe(1);
    await firstValueFrom(client.send({ type: 'Get', metadata: { id: 'get-2' } }));
    await expect(firstValueFrom(client.send({ type: 'Get', metadata: { id: 'get-2' } }))).resolves.toMatchObject({ type: 'Got' });
    expect(runs).toBe(3);
  });

  it('replies and where outputs go: an event act emits without metadata is linked to its input', async () => {
    const events: Event[] = [];
    const { channel, client, connection } = await service({
      effects: [e$ => e$.pipe(matchEvent('Start'), act(() => ({ type: 'Next' }))), e$ => e$.pipe(matchEvent('Next'), act(() => undefined))],
    });
    connection.event$.subscribe(e => events.push(e));
    await client.emit({ type: 'Start', metadata: { id: 's-1', correlationId: 'c-1', headers: { tenant: 'acme' } } });
    await settled(connection);
    expect(events.map(e => e.type)).toEqual(['Start', 'Next', 'Next']); // received, sent to the own queue, received
    expect(events[1].metadata).toMatchObject({ causationId: 's-1', correlationId: 'c-1', headers: { tenant: 'acme' } });
    expect(broker.getDeadLetters(channel)).toEqual([]);
  });

  it('the client: requests sharing a correlationId each get their reply (local transport)', async () => {
    const { client } = await service({ effects: [e$ => e$.pipe(matchEvent('Echo'), act(e => reply(e)({ type: 'Echoed', payload: e.payload })))] });
    const metadata = { correlationId: 'flow-1' };
    const replies = await Promise.all([1, 2].map(payload => firstValueFrom(client.send({ type: 'Echo', payload, metadata }))));
    expect(replies.map(r => r.payload)).toEqual([1, 2]);
  });

  it('manual acknowledgement: ackEvent resolves to false for a message settled already', async () => {
    const results: boolean[] = [];
    const { client, connection } = await service(
      { effects: [(e$, ctx) => e$.pipe(matchEvent('Job'), act(e => from(ackEvent(ctx)(e)().then(async first => { results.push(first, await ackEvent(ctx)(e)()); }))))] },
      { expectAck: true },
    );
    await client.emit({ type: 'Job' });
    await settled(connection);
    expect(results).toEqual([true, false]);
  });

  it('the client: ids, correlation and causation', async () => {
    const events: Event[] = [];
    const { client, connection } = await service({ effects: [e$ => e$.pipe(matchEvent('Start'), act(e => ({ type: 'Next', metadata: e.metadata }))), e$ => e$.pipe(matchEvent('Next'), act(() => undefined))] });
    connection.event$.subscribe(e => events.push(e));
    await client.emit({ type: 'Start', metadata: { id: 'start-1' } });
    await settled(connection);
    const [start, next] = events;
    expect(start.metadata).toMatchObject({ id: 'start-1', correlationId: 'start-1', attempt: 1 });
    expect(next.metadata).toMatchObject({ correlationId: 'start-1', causationId: 'start-1' });
    expect(next.metadata?.id).not.toBe('start-1');
  });

  it('the client: a publication no service subscribes to resolves and goes nowhere', async () => {
    const { client } = await service({ effects: [] });
    await expect(client.publish({ type: 'NobodyListens' })).resolves.toBeUndefined();
  });

  it('server events: connected, then closed and close', async () => {
    const seen: string[] = [];
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel: `guides-${++n}`, broker },
      listener: messagingListener({ effects: [] }),
      event$: e$ => e$.pipe(tap(e => seen.push(ServerEvent.status.type === e.type ? `status:${(e.payload as { type: string }).type}` : e.type))),
    });
    const connection = await microservice();
    await connection.close();
    expect(seen).toEqual(['status:connected', 'status:closed', 'close']);
  });

  it('the event bus: dead letters are kept by its own broker, config.raw', async () => {
    const context = await contextFactory(
      bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [] }) })),
      bindTo(EventBusClientToken)(EventBusClient),
    );
    const bus = useContext(EventBusToken)(lookup(context));
    await useContext(EventBusClientToken)(lookup(context)).emit({ type: 'Nobody' });
    await settled(bus);
    expect((bus.config.raw as LocalBroker).getDeadLetters().map(l => l.info.reason)).toEqual(['unhandled']);
    await bus.close();
  });
});

describe('error-handling.md', () => {
  it('an errorFn returning nothing acknowledges the message', async () => {
    const { channel, client, connection } = await service({ effects: [e$ => e$.pipe(matchEvent('Sms'), act(() => Promise.reject(new Error('down')), () => undefined))] });
    await client.emit({ type: 'Sms' });
    await settled(connection);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    expect(connection.inFlight).toBe(0);
  });
});

