import * as t from 'io-ts';
import { act, bindTo, createContextToken, event, EventError, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { dedupe, EventBusClientToken, messagingListener, MsgEffect, reply, TimeoutError } from '@tributary/messaging';
import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { delay, firstValueFrom, map, of, take, toArray } from 'rxjs';

const Add = event('Add')(t.type({ a: t.number, b: t.number }));
const Counter = createContextToken<{ count: number }>('Counter');
const Multiplier = createContextToken<number>('Multiplier');

const add$: MsgEffect = (event$, ctx) => {
  const factor = useContext(Multiplier)(ctx.ask);
  return event$.pipe(
    matchEvent(Add),
    act(eventValidator$(Add)),
    act(e => reply(e)({ type: 'Sum', payload: (e.payload.a + e.payload.b) * factor })),
  );
};

const count$: MsgEffect = (event$, ctx) => {
  const counter = useContext(Counter)(ctx.ask);
  return event$.pipe(
    matchEvent('Tick'),
    act(e => of(e).pipe(delay(5), map(() => void counter.count++))),
  );
};

const announce$: MsgEffect = event$ => event$.pipe(matchEvent('Announce'), act(e => ({ type: 'Announced', payload: e.payload })));

const flaky = { failures: 0, calls: 0 };
const flaky$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent('Flaky'),
    act(() => {
      flaky.calls++;
      if (flaky.calls <= flaky.failures) throw new Error('not yet');
    }),
  );

const listener = messagingListener({ effects: [add$, count$, announce$, flaky$] });
const dependencies = [bindTo(Multiplier)(1), bindTo(Counter)(() => ({ count: 0 }))];

describe('createMessagingTestBed', () => {
  let bed: MessagingTestBed;
  afterEach(() => bed?.close());

  it('send resolves with the reply', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    const sum = await bed.send(Add.create({ a: 2, b: 3 }));
    expect(sum).toMatchObject({ type: 'Sum', payload: 5 });
  });

  it('send rejects with the remote EventError when validation fails', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    const error = await bed.send({ type: 'Add', payload: { a: 'two', b: 3 } }).catch(e => e);
    expect(error).toBeInstanceOf(EventError);
    expect(error.data).toEqual([{ path: 'payload.a', expected: 'number', received: 'two' }]);
  });

  it('send rejects at once with UnhandledEventError for a type nobody handles', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    await expect(bed.send({ type: 'Nobody' })).rejects.toMatchObject({ name: 'UnhandledEventError' });
  });

  it('send rejects with TimeoutError after options.timeout', async () => {
    const silent$: MsgEffect = event$ => event$.pipe(matchEvent('Hang'), act(() => undefined));
    bed = await createMessagingTestBed({ listener: messagingListener({ effects: [silent$] }), options: { timeout: 50 } });
    await expect(bed.send({ type: 'Hang' })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('overrides a dependency per test: the last binding of a token wins', async () => {
    bed = await createMessagingTestBed({ listener, dependencies: [...dependencies, bindTo(Multiplier)(10)] });
    expect(await bed.send(Add.create({ a: 2, b: 3 }))).toMatchObject({ payload: 50 });
  });

  it('emit + idle(): waits until the work is done', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    await bed.emit({ type: 'Tick' });
    await bed.emit({ type: 'Tick' });
    await bed.idle();
    expect(useContext(Counter)(bed.ask).count).toBe(2);
    expect(bed.connection.inFlight).toBe(0);
  });

  it('collect() gives everything the effects sent, once the bed is idle', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    await bed.emit({ type: 'Announce', payload: 1 });
    await bed.send(Add.create({ a: 1, b: 1 }));
    const outputs = await bed.collect();
    expect(outputs.map(e => e.type).sort()).toEqual(['Announced', 'Sum']);
    expect(outputs.find(e => e.type === 'Announced')).toMatchObject({ payload: 1, metadata: { id: expect.any(String) } });
  });

  it('outputs$ replays what was sent before subscribing, then goes on live', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    await bed.emit({ type: 'Announce', payload: 'early' });
    await bed.idle();
    const two = firstValueFrom(bed.outputs$.pipe(matchEvent('Announced'), take(2), toArray()));
    await bed.emit({ type: 'Announce', payload: 'late' });
    expect((await two).map(e => e.payload)).toEqual(['early', 'late']);
  });

  it('publish reaches the service (it subscribes to every type by default)', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    await bed.publish({ type: 'Tick' });
    await bed.idle();
    expect(useContext(Counter)(bed.ask).count).toBe(1);
  });

  it('publish honours options.subscribe', async () => {
    bed = await createMessagingTestBed({ listener, dependencies, options: { subscribe: ['Announce'] } });
    await bed.publish({ type: 'Tick' });
    await bed.publish({ type: 'Announce', payload: 'yes' });
    const outputs = await bed.collect();
    expect(useContext(Counter)(bed.ask).count).toBe(0);
    expect(outputs.map(e => e.payload)).toEqual(['yes']);
  });

  it('retries a failing event (fast by default) and records dead letters after the last attempt', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    Object.assign(flaky, { failures: 2, calls: 0 });
    await bed.emit({ type: 'Flaky' });
    await bed.idle();
    expect(flaky.calls).toBe(3);
    expect(bed.deadLetters.filter(l => l.info.reason === 'failed')).toEqual([]);

    Object.assign(flaky, { failures: 99, calls: 0 });
    await bed.emit({ type: 'Flaky', metadata: { headers: { tenant: 'acme' } } });
    await bed.idle();
    expect(flaky.calls).toBe(5);
    const [letter] = bed.deadLetters.filter(l => l.info.reason === 'failed');
    expect(letter.info).toEqual({ reason: 'failed', attempts: 5, error: { name: 'Error', message: 'not yet' } });
    expect(letter.message.headers).toEqual({ tenant: 'acme' });
  });

  it('deadLetters shows emitted events no effect handles', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    const letter = firstValueFrom(bed.deadLetter$);
    await bed.emit({ type: 'Unknown' });
    expect((await letter).info.reason).toBe('unhandled');
    expect(bed.deadLetters).toHaveLength(1);
  });

  it('is the event bus its effects talk to through EventBusClientToken', async () => {
    const forward$: MsgEffect = (event$, ctx) => {
      const bus = useContext(EventBusClientToken)(ctx.ask);
      return event$.pipe(
        matchEvent('Forward'),
        act(async e => {
          await bus.publish({ type: 'Tick' });
          const sum = await firstValueFrom(bus.send(Add.create({ a: 20, b: 1 })));
          return reply(e)({ type: 'Forwarded', payload: sum.payload });
        }),
      );
    };
    bed = await createMessagingTestBed({ listener: messagingListener({ effects: [forward$, add$, count$] }), dependencies });
    expect(await bed.send({ type: 'Forward' })).toMatchObject({ payload: 21 });
    await bed.idle();
    expect(useContext(Counter)(bed.ask).count).toBe(1);
    // what the effects handed the bus client is recorded with what they returned
    expect((await bed.collect()).map(e => e.type)).toEqual(['Tick', 'Add', 'Sum', 'Forwarded']);
  });

  it('isolates beds from each other', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    const other = await createMessagingTestBed({ listener, dependencies });
    await other.emit({ type: 'Tick' });
    await other.idle();
    await bed.idle();
    expect(useContext(Counter)(other.ask).count).toBe(1);
    expect(useContext(Counter)(bed.ask).count).toBe(0);
    await other.close();
  });

  it('runs listener middlewares such as dedupe', async () => {
    bed = await createMessagingTestBed({ listener: messagingListener({ middlewares: [dedupe()], effects: [count$] }), dependencies });
    await bed.emit({ type: 'Tick', metadata: { id: 'tick-1' } });
    await bed.emit({ type: 'Tick', metadata: { id: 'tick-1' } });
    await bed.idle();
    expect(useContext(Counter)(bed.ask).count).toBe(1);
  });

  it('idle() rejects with what is still busy when work never ends', async () => {
    const stuck$: MsgEffect = event$ => event$.pipe(matchEvent('Stuck'), act(() => new Promise<void>(() => undefined)));
    bed = await createMessagingTestBed({ listener: messagingListener({ effects: [stuck$] }), options: { drainTimeout: 10 } });
    await bed.emit({ type: 'Stuck' });
    await expect(bed.idle(50)).rejects.toThrow('did not become idle within 50 ms: 1 event(s) in flight');
  });

  it('close() drains in-flight work, completes outputs$ and may be called twice', async () => {
    bed = await createMessagingTestBed({ listener, dependencies });
    const all = firstValueFrom(bed.outputs$.pipe(toArray()));
    await bed.emit({ type: 'Tick' });
    await bed.emit({ type: 'Announce', payload: 'bye' });
    await Promise.all([bed.close(), bed.close()]);
    expect(useContext(Counter)(bed.ask).count).toBe(1);
    expect((await all).map(e => e.type)).toEqual(['Announced']);
  });
});
