import * as t from 'io-ts';
import { lastValueFrom, Observable, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { act, Event, event, EventError, eventValidator$, isEventError, matchEvent, use, ValidationIssue } from '@tributary/core';

const createScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const collect = <T>(source$: Observable<T>) => lastValueFrom(source$.pipe(toArray()));
const failureOf = (source$: Observable<unknown>) =>
  lastValueFrom(source$).then(
    () => {
      throw new Error('expected a validation failure');
    },
    (error: unknown) => error,
  );

const User = t.type({ name: t.string, age: t.number });
const UserCreated = event('UserCreated')(User);
const metadata = { id: 'm-1', correlationId: 'c-1' };

describe('eventValidator$', () => {
  describe('with a payload codec', () => {
    test('lets a valid event through with its decoded payload, keeping type and metadata', async () => {
      const input: Event = { type: 'UserCreated', payload: { name: 'Ann', age: 31 }, metadata };
      expect(await collect(eventValidator$(User)(input))).toEqual([input]);
    });

    test('strips nothing but decodes with the codec (e.g. a conversion codec)', async () => {
      const DateFromString = new t.Type<Date, string, unknown>(
        'DateFromString',
        (u): u is Date => u instanceof Date,
        (u, c) => (typeof u === 'string' && !isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c)),
        d => d.toISOString(),
      );
      const [out] = await collect(eventValidator$(t.type({ at: DateFromString }))({ type: 'Tick', payload: { at: '2024-01-02T03:04:05.000Z' } }));
      expect(out!.payload.at).toBeInstanceOf(Date);
      expect(out!.payload.at.getTime()).toBe(Date.parse('2024-01-02T03:04:05.000Z'));
    });

    test('fails with an EventError listing each bad path, expected type and received value', async () => {
      const input: Event = { type: 'UserCreated', payload: { name: 42, age: 'old' }, metadata };
      const error = (await failureOf(eventValidator$(User)(input))) as EventError;
      expect(error).toBeInstanceOf(EventError);
      expect(isEventError(error)).toBe(true);
      expect(error.event).toBe(input);
      expect(error.data).toEqual<ValidationIssue[]>([
        { path: 'payload.name', expected: 'string', received: 42 },
        { path: 'payload.age', expected: 'number', received: 'old' },
      ]);
      expect(error.message).toContain('UserCreated');
      expect(error.message).toContain('payload.name: expected string, received 42');
      expect(error.message).toContain('payload.age: expected number, received "old"');
    });

    test('reports a missing payload at the payload path', async () => {
      const error = (await failureOf(eventValidator$(User)({ type: 'UserCreated' }))) as EventError;
      expect(error.data).toEqual([{ path: 'payload', expected: '{ name: string, age: number }', received: 'undefined' }]);
      expect(error.message).toBe('Event "UserCreated" failed validation: payload: expected { name: string, age: number }, received undefined');
    });

    test('reports nested paths', async () => {
      const Order = t.type({ items: t.array(t.type({ sku: t.string, qty: t.number })) });
      const error = (await failureOf(
        eventValidator$(Order)({ type: 'Order', payload: { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: null }] } }),
      )) as EventError;
      expect(error.data).toEqual([{ path: 'payload.items.1.qty', expected: 'number', received: null }]);
    });
  });

  describe('with an event() codec', () => {
    test('decodes the whole event and keeps the metadata', async () => {
      const input = { type: 'UserCreated', payload: { name: 'Ann', age: 31 }, metadata };
      expect(await collect(eventValidator$(UserCreated)(input))).toEqual([input]);
    });

    test('fails on the payload path and on a wrong type', async () => {
      const bad = (await failureOf(eventValidator$(UserCreated)({ type: 'UserCreated', payload: { name: 'Ann', age: '31' } }))) as EventError;
      expect(bad.data).toEqual([{ path: 'payload.age', expected: 'number', received: '31' }]);
      expect(bad.message).toMatch(/payload\.age: expected number, received "31"/);

      const wrongType = (await failureOf(eventValidator$(UserCreated)({ type: 'UserDeleted', payload: { name: 'Ann', age: 31 } }))) as EventError;
      expect(wrongType.data).toEqual([{ path: 'type', expected: '"UserCreated"', received: 'UserDeleted' }]);
    });

    test('accepts an event without payload for an event() codec without payload', async () => {
      const Ping = event('Ping')();
      expect(await collect(eventValidator$(Ping)({ type: 'Ping' }))).toEqual([{ type: 'Ping' }]);
      const error = (await failureOf(eventValidator$(Ping)({ type: 'Ping', payload: 1 }))) as EventError;
      expect(error.data).toEqual([{ path: 'payload', expected: 'undefined', received: 1 }]);
    });
  });

  describe('inside a pipe', () => {
    test.each([
      ['payload codec', User],
      ['event() codec', UserCreated],
    ] as const)('act(eventValidator$(%s)): a bad event becomes an error event, the stream lives on', (_, codec) => {
      const good = { type: 'UserCreated', payload: { name: 'Ann', age: 31 }, metadata };
      const bad = { type: 'UserCreated', payload: { name: 'Bob', age: 'x' }, metadata };
      createScheduler().run(({ hot, expectObservable }) => {
        const output$ = hot('-g-b-g|', { g: good, b: bad }).pipe(matchEvent(UserCreated), act(eventValidator$(codec)));
        expectObservable(output$).toBe('-g-e-g|', {
          g: good,
          e: {
            type: 'UserCreated_UNHANDLED_ERROR',
            metadata,
            error: {
              name: 'EventError',
              message: 'Event "UserCreated" failed validation: payload.age: expected number, received "x"',
              data: [{ path: 'payload.age', expected: 'number', received: 'x' }],
            },
          },
        });
      });
    });

    test.each([
      ['payload codec', User],
      ['event() codec', UserCreated],
    ] as const)('use(eventValidator$(%s)): decodes a stream; a bad event errors the stream', (_, codec) => {
      const good = { type: 'UserCreated', payload: { name: 'Ann', age: 31 } };
      const bad = { type: 'UserCreated', payload: { name: 'Bob' } };
      createScheduler().run(({ cold, expectObservable }) => {
        const valid$ = cold('g-g|', { g: good }).pipe(matchEvent(UserCreated), use(eventValidator$(codec)));
        expectObservable(valid$).toBe('g-g|', { g: good });
        const invalid$ = cold('g-b|', { g: good, b: bad }).pipe(matchEvent(UserCreated), use(eventValidator$(codec)));
        expectObservable(invalid$).toBe(
          'g-#',
          { g: good },
          new EventError(bad, 'Event "UserCreated" failed validation: payload.age: expected number, received undefined'),
        );
      });
    });

    test('the validated payload is what later operators see', async () => {
      const [out] = await collect(
        of<Event>({ type: 'UserCreated', payload: { name: 'Ann', age: 31 } }).pipe(
          matchEvent(UserCreated),
          act(eventValidator$(User)),
          act(e => ({ type: 'Greeted', payload: `hi ${e.payload.name}, ${e.payload.age + 1}` })),
        ),
      );
      expect(out).toEqual({ type: 'Greeted', payload: 'hi Ann, 32' });
    });
  });
});
