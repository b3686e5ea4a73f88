import { act, Event, matchEvent } from '@tributary/core';
import { dedupe, LocalBroker, MsgEffect } from '@tributary/messaging';
import { delay, of, map, tap } from 'rxjs';
import { eventually, localClient, startLocalService, uniqueChannel, wait } from './helpers';

describe('delivery on the local transport', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it('emit: one instance of the service handles each event; emit resolves once taken', async () => {
    const channel = uniqueChannel('emit');
    const seen: Array<[number, unknown]> = [];
    const effect = (instance: number): MsgEffect => event$ =>
      event$.pipe(matchEvent('Work'), act(e => { seen.push([instance, e.payload]); }));
    const a = await startLocalService(broker, channel, { effects: [effect(1)] });
    const b = await startLocalService(broker, channel, { effects: [effect(2)] });
    const client = await localClient(broker, channel);
    for (let i = 0; i < 10; i++) await client.emit({ type: 'Work', payload: i });
    await eventually(() => seen.length === 10);
    expect(seen.map(([, p]) => p).sort((x, y) => (x as number) - (y as number))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(seen.map(([i]) => i))).toEqual(new Set([1, 2])); // competing consumers
    await a.close();
    await b.close();
  });

  it('an event emitted before the service starts is processed once it starts', async () => {
    const channel = uniqueChannel('early');
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Early', payload: 'x' });
    const seen: unknown[] = [];
    const service = await startLocalService(broker, channel, {
      effects: [e$ => e$.pipe(matchEvent('Early'), act(e => { seen.push(e.payload); }))],
    });
    await eventually(() => seen.length === 1);
    expect(seen).toEqual(['x']);
    await service.close();
  });

  it('publish: each subscribed service gets one copy, shared among its instances', async () => {
    const payments = uniqueChannel('payments');
    const inventory = uniqueChannel('inventory');
    const got: string[] = [];
    const effect = (name: string): MsgEffect => e$ => e$.pipe(matchEvent('OrderCreated'), act(() => { got.push(name); }));
    const p1 = await startLocalService(broker, payments, { effects: [effect('payments')] }, { subscribe: ['OrderCreated'] });
    const p2 = await startLocalService(broker, payments, { effects: [effect('payments')] }, { subscribe: ['OrderCreated'] });
    const inv = await startLocalService(broker, inventory, { effects: [effect('inventory')] }, { subscribe: ['Order*', '#'] });
    const client = await localClient(broker, uniqueChannel('orders'));
    await client.publish({ type: 'OrderCreated', payload: { id: 1 } });
    await eventually(() => got.length === 2);
    await wait(30);
    expect(got.sort()).toEqual(['inventory', 'payments']);
    await Promise.all([p1.close(), p2.close(), inv.close()]);
  });

  it('retries a failing event with backoff, counting attempts, until it succeeds', async () => {
    const channel = uniqueChannel('retry');
    const attempts: number[] = [];
    const flaky$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Charge'),
        act(e => {
          attempts.push(e.metadata.attempt as number);
          if (attempts.length < 3) throw new Error('gateway down');
        }),
      );
    const service = await startLocalService(broker, channel, { effects: [flaky$] }, { retry: { maxAttempts: 5, initialDelay: 10, maxDelay: 50 } });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Charge', payload: 1 });
    await eventually(() => attempts.length === 3);
    await wait(50);
    expect(attempts).toEqual([1, 2, 3]);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    await service.close();
  });

  it('dead-letters after max attempts with the error, attempts and original headers', async () => {
    const channel = uniqueChannel('dlq');
    let calls = 0;
    const broken$: MsgEffect = e$ => e$.pipe(matchEvent('Charge'), act(() => { calls++; throw new TypeError('card expired'); }));
    const service = await startLocalService(broker, channel, { effects: [broken$] }, { retry: { maxAttempts: 3, initialDelay: 5 } });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Charge', payload: 1, metadata: { headers: { tenant: 'acme' } } });
    await eventually(() => broker.getDeadLetters(channel).length === 1);
    const [letter] = broker.getDeadLetters(channel);
    expect(calls).toBe(3);
    expect(letter.info).toEqual({ reason: 'failed', attempts: 3, error: { name: 'TypeError', message: 'card expired' } });
    expect(letter.message.headers).toEqual({ tenant: 'acme' });
    expect((letter.message.data as Event).type).toBe('Charge');
    await service.close();
  });

  it('dead-letters an emitted event no effect handles, with reason "unhandled"', async () => {
    const channel = uniqueChannel('unhandled');
    const service = await startLocalService(broker, channel, { effects: [e$ => e$.pipe(matchEvent('Known'), act(() => undefined))] });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Unknown' });
    await eventually(() => broker.getDeadLetters(channel).length === 1);
    expect(broker.getDeadLetters(channel)[0].info.reason).toBe('unhandled');
    await service.close();
  });

  it('reports malformed input on error$, dead-letters it and keeps consuming', async () => {
    const channel = uniqueChannel('malformed');
    const errors: Error[] = [];
    const seen: unknown[] = [];
    const service = await startLocalService(broker, channel, {
      effects: [e$ => e$.pipe(matchEvent('Good'), act(e => { seen.push(e.payload); }))],
      error$: error$ => error$.pipe(tap(e => errors.push(e)), map(() => ({ type: 'IGNORED' })), delay(0)),
    });
    broker.enqueue(channel, { data: 'not an event' });
    broker.enqueue(channel, { data: { payload: 'no type' } });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Good', payload: 1 });
    await eventually(() => seen.length === 1 && broker.getDeadLetters(channel).length === 2);
    expect(broker.getDeadLetters(channel).map(l => l.info.reason)).toEqual(['malformed', 'malformed']);
    expect(errors.map(e => e.name)).toEqual(['MalformedMessageError', 'MalformedMessageError']);
    await service.close();
  });

  it('close() stops taking messages and lets in-flight events finish and settle first', async () => {
    const channel = uniqueChannel('drain');
    const done: number[] = [];
    const slow$: MsgEffect = e$ => e$.pipe(matchEvent('Slow'), act(e => of(e).pipe(delay(150), tap(() => done.push(e.payload as number)), map(() => undefined as never))));
    const service = await startLocalService(broker, channel, { effects: [slow$] });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Slow', payload: 1 });
    await client.emit({ type: 'Slow', payload: 2 });
    await eventually(() => service.inFlight === 2);
    await service.close({ drainTimeout: 2000 });
    expect(done.sort()).toEqual([1, 2]);
    expect(service.inFlight).toBe(0);
    // what arrives after close waits for the next instance
    await client.emit({ type: 'Slow', payload: 3 });
    await wait(20);
    expect(broker.depth(channel)).toBe(1);
  });

  it('drain gives up after drainTimeout and the broker delivers the unsettled message again', async () => {
    const channel = uniqueChannel('drain-timeout');
    const stuck$: MsgEffect = e$ => e$.pipe(matchEvent('Stuck'), act(() => new Promise(() => undefined)));
    const service = await startLocalService(broker, channel, { effects: [stuck$] });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Stuck' });
    await eventually(() => service.inFlight === 1);
    const started = Date.now();
    await service.close({ drainTimeout: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(broker.depth(channel)).toBe(1);
  });

  it('dedupe drops a repeated metadata.id and acknowledges it', async () => {
    const channel = uniqueChannel('dedupe');
    const seen: unknown[] = [];
    const service = await startLocalService(broker, channel, {
      middlewares: [dedupe()],
      effects: [e$ => e$.pipe(matchEvent('Pay'), act(e => { seen.push(e.payload); }))],
    });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Pay', payload: 'first', metadata: { id: 'pay-1' } });
    await client.emit({ type: 'Pay', payload: 'again', metadata: { id: 'pay-1' } });
    await client.emit({ type: 'Pay', payload: 'other', metadata: { id: 'pay-2' } });
    await eventually(() => seen.length === 2);
    await wait(30);
    expect(seen).toEqual(['first', 'other']);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    await service.close();
  });

  it('dedupe lets the retry of a failed event run', async () => {
    const channel = uniqueChannel('dedupe-retry');
    const attempts: number[] = [];
    const service = await startLocalService(
      broker,
      channel,
      {
        middlewares: [dedupe()],
        effects: [e$ => e$.pipe(matchEvent('Pay'), act(e => { attempts.push(e.metadata.attempt as number); if (attempts.length === 1) throw new Error('once'); }))],
      },
      { retry: { initialDelay: 5 } },
    );
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Pay', metadata: { id: 'pay-x' } });
    await eventually(() => attempts.length === 2);
    expect(attempts).toEqual([1, 2]);
    await service.close();
  });

  it('an effect whose stream fails is restarted; sibling effects and in-flight events are unaffected', async () => {
    const channel = uniqueChannel('isolation');
    const slowDone: number[] = [];
    let crashes = 0;
    const crashing$: MsgEffect = e$ => e$.pipe(matchEvent('Crash'), tap(() => { crashes++; throw new Error('effect bug'); }));
    const slow$: MsgEffect = e$ => e$.pipe(matchEvent('Slow'), act(e => of(e).pipe(delay(50), tap(() => slowDone.push(e.payload as number)), map(() => undefined as never))));
    const service = await startLocalService(broker, channel, { effects: [crashing$, slow$] }, { retry: { maxAttempts: 1 } });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Slow', payload: 1 });
    await client.emit({ type: 'Crash' });
    await client.emit({ type: 'Slow', payload: 2 });
    await client.emit({ type: 'Crash' });
    await eventually(() => slowDone.length === 2 && crashes === 2);
    expect(slowDone.sort()).toEqual([1, 2]);
    // the crashing events failed: dead-lettered (maxAttempts 1), not silently acknowledged
    await eventually(() => broker.getDeadLetters(channel).length === 2);
    expect(broker.getDeadLetters(channel).map(l => l.info.error?.message)).toEqual(['effect bug', 'effect bug']);
    await service.close();
  });

  it('outputs carry causationId of their input and keep correlationId and headers', async () => {
    const channel = uniqueChannel('causation');
    const outputs: Event[] = [];
    const service = await startLocalService(broker, channel, {
      effects: [e$ => e$.pipe(matchEvent('Start'), act(e => ({ type: 'Next', metadata: e.metadata })))],
      output$: o$ => o$.pipe(tap(o => outputs.push(o))),
    });
    const events: Event[] = [];
    service.event$.subscribe(e => events.push(e));
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Start', metadata: { id: 'start-1', correlationId: 'corr-1', headers: { trace: 't-1' } } });
    await eventually(() => events.some(e => e.type === 'Next'));
    const next = events.find(e => e.type === 'Next' && e.metadata?.causationId === 'start-1')!;
    expect(next.metadata).toMatchObject({ causationId: 'start-1', correlationId: 'corr-1', headers: { trace: 't-1' } });
    expect(next.metadata?.id).toEqual(expect.any(String));
    expect(next.metadata?.id).not.toBe('start-1');
    expect(outputs).toHaveLength(1);
    await service.close();
  });

  it('an output made without metadata is still caused by its input and chained to the own channel', async () => {
    const channel = uniqueChannel('chain');
    const events: Event[] = [];
    const service = await startLocalService(broker, channel, {
      effects: [
        e$ => e$.pipe(matchEvent('First'), act(() => ({ type: 'Second' }))),
        e$ => e$.pipe(matchEvent('Second'), act(() => undefined)),
      ],
    });
    service.event$.subscribe(e => events.push(e));
    const client = await localClient(broker, channel);
    await client.emit({ type: 'First', metadata: { id: 'first-1', correlationId: 'flow-1' } });
    await eventually(() => events.filter(e => e.type === 'Second').length === 2); // sent, then received
    const received = events.filter(e => e.type === 'Second')[1];
    expect(received.metadata).toMatchObject({ causationId: 'first-1', correlationId: 'flow-1' });
    await eventually(() => service.inFlight === 0);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    await service.close();
  });
});
