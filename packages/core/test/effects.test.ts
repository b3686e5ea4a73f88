import * as O from 'fp-ts/Option';
import { asyncScheduler, map, Observable, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  bindTo,
  combineEffects,
  combineMiddlewares,
  contextFactory,
  createContextToken,
  createEffectContext,
  Effect,
  EffectContext,
  Event,
  lookup,
  matchEvent,
  use,
} from '@tributary/core';

const createScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const ctx = (): EffectContext => createEffectContext({ ask: () => O.none, client: undefined });

describe('combineEffects', () => {
  test('runs every effect on the same input and merges their outputs', () => {
    const ping$: Effect<Event, Event> = e$ => e$.pipe(matchEvent('PING'), map(() => ({ type: 'PONG' })));
    const echo$: Effect<Event, Event> = e$ => e$.pipe(matchEvent('ECHO'), map(e => ({ type: 'ECHOED', payload: e.payload })));
    const count$: Effect<Event, Event> = e$ => e$.pipe(map(e => ({ type: 'SEEN', payload: e.type })));
    createScheduler().run(({ hot, expectObservable }) => {
      const input$ = hot('-p----e----|', { p: { type: 'PING' }, e: { type: 'ECHO', payload: 'hi' } });
      const effects$ = combineEffects(ping$, echo$, count$);
      expectObservable(effects$(input$, ctx())).toBe('-(ab)-(cd)-|', {
        a: { type: 'PONG' },
        b: { type: 'SEEN', payload: 'PING' },
        c: { type: 'ECHOED', payload: 'hi' },
        d: { type: 'SEEN', payload: 'ECHO' },
      });
    });
  });

  test('passes the context to each effect', () => {
    const context = ctx();
    const seen: unknown[] = [];
    const a$: Effect<Event, Event> = (e$, c) => (seen.push(c), e$);
    const b$: Effect<Event, Event> = (e$, c) => (seen.push(c), e$);
    combineEffects(a$, b$)(new Observable<Event>(), context);
    expect(seen).toEqual([context, context]);
  });

  test('combined effects can be combined again', () => {
    const a$: Effect<Event, Event> = e$ => e$.pipe(map(() => ({ type: 'A' })));
    const b$: Effect<Event, Event> = e$ => e$.pipe(map(() => ({ type: 'B' })));
    const c$: Effect<Event, Event> = e$ => e$.pipe(map(() => ({ type: 'C' })));
    createScheduler().run(({ cold, expectObservable }) => {
      const effects$ = combineEffects(combineEffects(a$, b$), c$);
      expectObservable(effects$(cold('x----|', { x: { type: 'X' } }), ctx())).toBe('(abc)|', {
        a: { type: 'A' },
        b: { type: 'B' },
        c: { type: 'C' },
      });
    });
  });
});

describe('combineMiddlewares', () => {
  const addHeader =
    (key: string): Effect<Event, Event> =>
    e$ =>
      e$.pipe(map(e => ({ ...e, metadata: { ...e.metadata, headers: { ...e.metadata?.headers, [key]: 'x' } } })));

  test('chains middlewares in order, the output of one feeding the next', () => {
    const order: string[] = [];
    const first$: Effect<Event, Event> = e$ => e$.pipe(tap(() => order.push('first')));
    const second$: Effect<Event, Event> = e$ => e$.pipe(tap(() => order.push('second')));
    createScheduler().run(({ cold, expectObservable }) => {
      const middlewares$ = combineMiddlewares(first$, addHeader('a'), second$, addHeader('b'));
      expectObservable(middlewares$(cold('x|', { x: { type: 'X' } }), ctx())).toBe('y|', {
        y: { type: 'X', metadata: { headers: { a: 'x', b: 'x' } } },
      });
    });
    expect(order).toEqual(['first', 'second']);
  });

  test('skips undefined entries', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const middlewares$ = combineMiddlewares(undefined, addHeader('a'), undefined);
      expectObservable(middlewares$(cold('x|', { x: { type: 'X' } }), ctx())).toBe('y|', {
        y: { type: 'X', metadata: { headers: { a: 'x' } } },
      });
    });
  });

  test('with no middleware it is the identity', () => {
    const input$ = new Observable<Event>();
    expect(combineMiddlewares<Event, unknown>()(input$, ctx())).toBe(input$);
  });
});

describe('use', () => {
  test('applies a middleware inside a pipe', () => {
    const upper = (e$: Observable<Event<string>>) => e$.pipe(map(e => ({ ...e, payload: e.payload?.toUpperCase() })));
    createScheduler().run(({ cold, expectObservable }) => {
      const output$ = cold<Event<string>>('a|', { a: { type: 'A', payload: 'hi' } }).pipe(use(upper));
      expectObservable(output$).toBe('a|', { a: { type: 'A', payload: 'HI' } });
    });
  });

  test('hands the given context to the middleware', () => {
    const context = ctx();
    const middleware = jest.fn((e$: Observable<Event>) => e$);
    new Observable<Event>().pipe(use(middleware, context));
    expect(middleware).toHaveBeenCalledWith(expect.any(Observable), context);
  });
});

describe('createEffectContext', () => {
  test('keeps ask and client, defaults the scheduler to asyncScheduler', async () => {
    const Port = createContextToken<number>('Port');
    const ask = lookup(await contextFactory(bindTo(Port)(8080)));
    const client = { name: 'client' };
    const effectContext = createEffectContext({ ask, client });
    expect(effectContext.client).toBe(client);
    expect(effectContext.scheduler).toBe(asyncScheduler);
    expect(effectContext.ask(Port)).toEqual(O.some(8080));
  });

  test('uses the given scheduler', () => {
    const scheduler = new TestScheduler(() => undefined);
    const effectContext = createEffectContext({ ask: () => O.none, client: null, scheduler });
    expect(effectContext.scheduler).toBe(scheduler);
  });
});
