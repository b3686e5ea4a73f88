import * as t from 'io-ts';
import { act, event, eventValidator$, matchEvent, use } from '@tributary/core';
import { WebSocketConnectionError, WebSocketStatus, WsEffect } from '@tributary/websockets';
import { map } from 'rxjs';
import { cleanup, connect, start, wait } from './helpers';

afterEach(cleanup);

const echo$: WsEffect = event$ => event$.pipe(matchEvent('Echo'), map(e => ({ type: 'Echoed', payload: e.payload })));

describe('errors from clients and effects', () => {
  it('invalid JSON gets an error event back; the connection and other clients carry on', async () => {
    const { url } = await start({ effects: [echo$] });
    const [bad, other] = await Promise.all([connect(url), connect(url)]);
    bad.sendRaw('{not json');
    const error = await bad.next();
    expect(error).toMatchObject({ type: 'UNHANDLED_ERROR', error: { name: 'InvalidEventError' } });
    expect(error.error.message).toMatch(/could not be decoded .*received "\{not json"/);

    bad.sendRaw('[1,2]');
    expect((await bad.next()).error.message).toContain('not an object');
    bad.sendRaw('{"payload":1}');
    expect((await bad.next()).error.message).toContain('no "type" string');

    bad.send({ type: 'Echo', payload: 'still here' });
    expect(await bad.next()).toEqual({ type: 'Echoed', payload: 'still here' });
    other.send({ type: 'Echo', payload: 'me too' });
    expect(await other.next()).toEqual({ type: 'Echoed', payload: 'me too' });
    expect(other.received).toHaveLength(1);
  });

  it('an event no effect handles comes back as UnknownEventError with its correlationId', async () => {
    const { url } = await start({ effects: [echo$] });
    const client = await connect(url);
    client.send({ type: 'Fly', payload: {}, metadata: { correlationId: 'c-1' } });
    const error = await client.next();
    expect(error).toMatchObject({ type: 'Fly', error: { name: 'UnknownEventError' }, metadata: { correlationId: 'c-1' } });
    expect(error.error.message).toContain('No effect handles "Fly"');
  });

  it('an error thrown in act comes back as <TYPE>_UNHANDLED_ERROR and the effect keeps working', async () => {
    const divide$: WsEffect = event$ =>
      event$.pipe(
        matchEvent('Divide'),
        act(e => {
          const { a, b } = e.payload as { a: number; b: number };
          if (b === 0) throw new RangeError('Division by zero');
          return { type: 'Quotient', payload: a / b };
        }),
      );
    const { url } = await start({ effects: [divide$] });
    const client = await connect(url);
    client.send({ type: 'Divide', payload: { a: 1, b: 0 } });
    expect(await client.next()).toMatchObject({ type: 'Divide_UNHANDLED_ERROR', error: { name: 'RangeError', message: 'Division by zero' } });
    client.send({ type: 'Divide', payload: { a: 6, b: 3 } });
    expect(await client.next()).toEqual({ type: 'Quotient', payload: 2 });
  });

  it('an effect whose stream throws is restarted; the client gets UNHANDLED_ERROR and stays connected', async () => {
    const fragile$: WsEffect = event$ =>
      event$.pipe(
        matchEvent('Parse'),
        map(e => ({ type: 'Parsed', payload: JSON.parse(e.payload as string) })),
      );
    const { url } = await start({ effects: [fragile$, echo$] });
    const client = await connect(url);
    client.send({ type: 'Parse', payload: '{oops', metadata: { correlationId: 'p-1' } });
    expect(await client.next()).toMatchObject({ type: 'UNHANDLED_ERROR', error: { name: 'SyntaxError' }, metadata: { correlationId: 'p-1' } });
    client.send({ type: 'Parse', payload: '{"ok":true}' });
    expect(await client.next()).toEqual({ type: 'Parsed', payload: { ok: true } });
    client.send({ type: 'Echo', payload: 1 });
    expect(await client.next()).toEqual({ type: 'Echoed', payload: 1 });
  });

  it('a validation failure comes back as an EventError of the same type', async () => {
    const Greet = event('Greet')(t.type({ name: t.string }));
    const greet$: WsEffect = event$ =>
      event$.pipe(
        matchEvent(Greet),
        use(eventValidator$(Greet)),
        map(e => ({ type: 'Greeting', payload: `hello ${e.payload.name}` })),
      );
    const { url } = await start({ effects: [greet$] });
    const client = await connect(url);
    client.send({ type: 'Greet', payload: { name: 7 } });
    const error = await client.next();
    expect(error).toMatchObject({ type: 'Greet', error: { name: 'EventError' } });
    client.send({ type: 'Greet', payload: { name: 'ada' } });
    expect(await client.next()).toEqual({ type: 'Greeting', payload: 'hello ada' });
  });

  it('WebSocketConnectionError closes that client with its status, not the others', async () => {
    const kick$: WsEffect = event$ =>
      event$.pipe(
        matchEvent('Kick'),
        map(() => {
          throw new WebSocketConnectionError('Kicked', WebSocketStatus.POLICY_VALIDATION);
        }),
      );
    const { url } = await start({ effects: [kick$, echo$] });
    const [kicked, other] = await Promise.all([connect(url), connect(url)]);
    kicked.send({ type: 'Kick' });
    expect(await kicked.closed).toEqual({ code: 1008, reason: 'Kicked' });
    other.send({ type: 'Echo', payload: 'fine' });
    expect(await other.next()).toEqual({ type: 'Echoed', payload: 'fine' });
  });

  it('an output that cannot be encoded is reported to the client, which stays connected', async () => {
    const cyclic$: WsEffect = event$ =>
      event$.pipe(
        matchEvent('Cycle'),
        map(() => {
          const payload: Record<string, unknown> = {};
          payload.self = payload;
          return { type: 'Cyclic', payload };
        }),
      );
    const { url } = await start({ effects: [cyclic$, echo$] });
    const client = await connect(url);
    client.send({ type: 'Cycle' });
    expect(await client.next()).toMatchObject({ type: 'UNHANDLED_ERROR', error: { name: 'EncodeError', message: 'The server could not encode "Cyclic"' } });
    client.send({ type: 'Echo', payload: 2 });
    expect(await client.next()).toEqual({ type: 'Echoed', payload: 2 });
  });

  it('a custom error$ shapes the error events', async () => {
    const { url } = await start({
      effects: [echo$],
      error$: error$ => error$.pipe(map(error => ({ type: 'Problem', payload: error.name }))),
    });
    const client = await connect(url);
    client.sendRaw('nope');
    expect(await client.next()).toEqual({ type: 'Problem', payload: 'InvalidEventError' });
    await wait(10);
  });
});
