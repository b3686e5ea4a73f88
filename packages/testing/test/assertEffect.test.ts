import { act, bindTo, createContextToken, Effect, Event, matchEvent, useContext } from '@tributary/core';
import { MsgEffect, reply } from '@tributary/messaging';
import { assertEffect, createTestScheduler } from '@tributary/testing';
import { debounceTime, delay, map, mergeMap, of, throwError } from 'rxjs';

const request = (type: string, payload?: unknown): Event => ({ type, payload, metadata: { replyTo: 'caller', correlationId: `c-${type}` } });
const answer = (type: string, payload?: unknown): Event => ({ type, payload, metadata: { replyTo: 'caller', correlationId: `c-${type.replace('Pong', 'Ping')}` } });

const ping$: MsgEffect = event$ => event$.pipe(matchEvent('Ping'), act(e => reply(e)({ type: 'Pong' })));

describe('assertEffect', () => {
  it('passes when the output matches the expected diagram', () => {
    assertEffect(ping$, ['-a-b-a', { a: request('Ping'), b: { type: 'Other' } }], ['-p---p', { p: answer('Pong') }]);
  });

  it('fails with a diff when it does not', () => {
    expect(() => assertEffect(ping$, ['-a-', { a: request('Ping') }], ['--p', { p: answer('Pong') }])).toThrow(/frame/);
    expect(() => assertEffect(ping$, ['-a-', { a: request('Ping') }], ['-p-', { p: answer('Pang') }])).toThrow(/Pang/);
  });

  it('ignores undefined properties and accepts asymmetric matchers', () => {
    const stamp$: Effect<Event, Event> = event$ => event$.pipe(map(e => ({ type: 'Stamped', payload: { at: Date.now(), of: e.type }, error: undefined })));
    assertEffect(stamp$, ['a', { a: { type: 'X' } }], ['s', { s: { type: 'Stamped', payload: { at: expect.any(Number), of: 'X' } } }]);
  });

  it('runs time-based operators in virtual time, on ctx.scheduler too', () => {
    const debounced$: Effect<Event, Event> = (event$, ctx) => event$.pipe(debounceTime(10, ctx.scheduler), map(e => ({ type: 'Last', payload: e.payload })));
    assertEffect(debounced$, ['a 5ms b 20ms c|', { a: { type: 'N', payload: 1 }, b: { type: 'N', payload: 2 }, c: { type: 'N', payload: 3 } }], [
      '16ms x 11ms (y|)',
      { x: { type: 'Last', payload: 2 }, y: { type: 'Last', payload: 3 } },
    ]);
    const delayed$: Effect<Event, Event> = event$ => event$.pipe(delay(100), map(() => ({ type: 'Later' })));
    assertEffect(delayed$, ['a', { a: { type: 'Now' } }], ['100ms l', { l: { type: 'Later' } }]);
  });

  it('turns a failing act into its error event and keeps the effect alive', () => {
    const divide$: Effect<Event, Event> = event$ =>
      event$.pipe(
        matchEvent('Divide'),
        act(e => {
          const [a, b] = e.payload as [number, number];
          if (b === 0) throw new Error('division by zero');
          return of({ type: 'Quotient', payload: a / b });
        }),
      );
    assertEffect(divide$, ['-a-b-c', { a: { type: 'Divide', payload: [6, 3] }, b: { type: 'Divide', payload: [1, 0] }, c: { type: 'Divide', payload: [9, 3] } }], [
      '-x-e-y',
      {
        x: { type: 'Quotient', payload: 2 },
        e: { type: 'Divide_UNHANDLED_ERROR', error: { name: 'Error', message: 'division by zero' } },
        y: { type: 'Quotient', payload: 3 },
      },
    ]);
  });

  it('checks completion and errors of the stream', () => {
    const failing$: Effect<Event, Event> = event$ => event$.pipe(mergeMap(() => throwError(() => new Error('boom'))));
    assertEffect(failing$, ['-a', { a: { type: 'A' } }], ['-#', {}, new Error('boom')]);
    const echo$: Effect<Event, Event> = event$ => event$;
    assertEffect(echo$, ['-a|', { a: { type: 'A' } }], ['-a|', { a: { type: 'A' } }]);
  });

  it('resolves options.dependencies through ctx.ask and passes options.client', () => {
    const Greeting = createContextToken<string>('Greeting');
    const greet$: Effect<Event, Event, { id: string }> = (event$, ctx) => {
      const greeting = useContext(Greeting)(ctx.ask);
      return event$.pipe(map(e => ({ type: 'Greeted', payload: `${greeting}, ${e.payload} (via ${ctx.client.id})` })));
    };
    assertEffect(greet$, ['a', { a: { type: 'Greet', payload: 'Ada' } }], ['g', { g: { type: 'Greeted', payload: 'Hello, Ada (via stub)' } }], {
      dependencies: [bindTo(Greeting)('Hello')],
      client: { id: 'stub' },
    });
  });

  it('says so when the effect returns no stream', () => {
    const forgot$ = ((event$: any) => {
      event$.pipe(map(() => ({ type: 'Lost' })));
    }) as unknown as Effect<Event, Event>;
    expect(() => assertEffect(forgot$, ['a', { a: { type: 'A' } }], ['-'])).toThrow(
      `assertEffect: "forgot$" returned undefined, not a stream. Double check you're not missing a return statement!`,
    );
  });

  it('compares with node:assert when there is no global expect (other runners)', () => {
    const global = globalThis as { expect?: unknown };
    const saved = global.expect;
    delete global.expect;
    try {
      assertEffect(ping$, ['-a', { a: request('Ping') }], ['-p', { p: { ...answer('Pong'), error: undefined } }]);
      let failure: unknown;
      try {
        assertEffect(ping$, ['-a', { a: request('Ping') }], ['-p', { p: answer('Pang') }]);
      } catch (error) {
        failure = error;
      }
      global.expect = saved;
      expect((failure as Error).name).toBe('AssertionError');
    } finally {
      global.expect = saved;
    }
  });
});

describe('createTestScheduler', () => {
  it('runs marble tests with the same comparison', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: { type: 'A', metadata: undefined } }).pipe(map(e => ({ ...e, seen: true })))).toBe('-b|', {
        b: { type: 'A', seen: true },
      });
    });
  });
});
