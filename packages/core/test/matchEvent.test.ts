import * as t from 'io-ts';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createEvent, DELIVERY_TRACKER, DeliveryTracker, Event, event, matchEvent } from '@tributary/core';

const createScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const a: Event = { type: 'A', payload: 1 };
const b: Event = { type: 'B', payload: 2 };
const c: Event = { type: 'C', payload: 3 };
const values = { a, b, c };

describe('matchEvent', () => {
  test('matches by type string', () => {
    createScheduler().run(({ hot, expectObservable }) => {
      const input$ = hot('  -a-b-c-a-|', values);
      const expected = '    -a-----a-|';
      expectObservable(input$.pipe(matchEvent('A'))).toBe(expected, values);
    });
  });

  test('matches by { type } object', () => {
    createScheduler().run(({ hot, expectObservable }) => {
      const input$ = hot('  -a-b-c-|', values);
      const expected = '    ---b---|';
      expectObservable(input$.pipe(matchEvent({ type: 'B' }))).toBe(expected, values);
    });
  });

  test('matches by createEvent creator', () => {
    const C = createEvent('C', (n: number) => n);
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' a-b-c-c|', values);
      const expected = '     ----c-c|';
      expectObservable(input$.pipe(matchEvent(C))).toBe(expected, values);
    });
  });

  test('matches by event() codec', () => {
    const B = event('B')(t.number);
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' a-b-c|', values);
      const expected = '     --b--|';
      expectObservable(input$.pipe(matchEvent(B))).toBe(expected, values);
    });
  });

  test('matches by a plain io-ts codec of a whole event', () => {
    const A = t.type({ type: t.literal('A'), payload: t.number });
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' a-b-a|', values);
      const expected = '     a---a|';
      expectObservable(input$.pipe(matchEvent(A))).toBe(expected, values);
    });
  });

  test('matches any of several matchers of different kinds', () => {
    const B = createEvent('B');
    const C = event('C')(t.number);
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' a-b-c-a-b|', values);
      const expected = '     --b-c---b|';
      expectObservable(input$.pipe(matchEvent(B, C))).toBe(expected, values);
      expectObservable(input$.pipe(matchEvent('A', { type: 'C' }))).toBe('a---c-a--|', values);
    });
  });

  test('does not match type prefixes or error events of the same type', () => {
    const aError: Event = { type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'x' } };
    const ab: Event = { type: 'AB' };
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' x-y-a|', { x: aError, y: ab, a });
      expectObservable(input$.pipe(matchEvent('A'))).toBe('----a|', { a });
    });
  });

  test('passes errors and completion through', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' -b-a-#', values, new Error('boom'));
      expectObservable(input$.pipe(matchEvent('A'))).toBe('---a-#', values, new Error('boom'));
    });
  });

  test('composes with other operators on the narrowed stream', () => {
    const B = event('B')(t.number);
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold(' a-b|', values);
      const output$ = input$.pipe(
        matchEvent(B),
        map(e => ({ type: 'DOUBLED', payload: e.payload * 2 })),
      );
      expectObservable(output$).toBe('--d|', { d: { type: 'DOUBLED', payload: 4 } });
    });
  });

  test('tells the delivery tracker of a matched event, and only of a matched one', () => {
    const tracker = (): jest.Mocked<DeliveryTracker> => ({ matched: jest.fn(), begin: jest.fn(), end: jest.fn() });
    const matchedTracker = tracker();
    const skippedTracker = tracker();
    const seen: Event[] = [];
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold('a-b|', {
        a: { type: 'A', metadata: { [DELIVERY_TRACKER]: matchedTracker } },
        b: { type: 'B', metadata: { [DELIVERY_TRACKER]: skippedTracker } },
      });
      expectObservable(input$.pipe(matchEvent('A'), map(e => seen.push(e)))).toBe('a--|', { a: 1 });
    });
    expect(matchedTracker.matched).toHaveBeenCalledTimes(1);
    expect(matchedTracker.begin).not.toHaveBeenCalled();
    expect(skippedTracker.matched).not.toHaveBeenCalled();
    expect(seen[0]!.metadata?.[DELIVERY_TRACKER]).toBe(matchedTracker);
  });
});
