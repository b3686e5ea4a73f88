import { delay, EMPTY, firstValueFrom, from, lastValueFrom, Observable, of, Subject, throwError, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { act, DELIVERY_TRACKER, DeliveryTracker, Event, EventMetadata, matchEvent, UNHANDLED_ERROR_SUFFIX } from '@tributary/core';

const createScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
// outputs include the default error events, which `act`'s type leaves out (as Marble.js)
const collect = (source$: Observable<unknown>) => lastValueFrom(source$.pipe(toArray<unknown>())) as Promise<Event[]>;

const createTracker = () => {
  const calls: string[] = [];
  const tracker: DeliveryTracker & { calls: string[]; ends: unknown[][] } = {
    calls,
    ends: [],
    matched: () => calls.push('matched'),
    begin: () => calls.push('begin'),
    end: (...args: unknown[]) => {
      calls.push('end');
      tracker.ends.push(args);
    },
  };
  return tracker;
};

const tracked = (tracker: DeliveryTracker, type = 'Job', extra: Partial<Event> = {}): Event => ({
  type,
  ...extra,
  metadata: { id: 'm-1', correlationId: 'c-1', [DELIVERY_TRACKER]: tracker },
});

describe('act', () => {
  test('emits the Observable results of fn, per event, concurrently', () => {
    createScheduler().run(({ hot, cold, expectObservable }) => {
      const input$ = hot('  -a--b---|', { a: { type: 'A', payload: 1 }, b: { type: 'A', payload: 2 } });
      const output$ = input$.pipe(
        act((e: Event<number>) => cold('---x|', { x: { type: 'DONE', payload: e.payload } })),
      );
      expectObservable(output$).toBe('----x--y|', { x: { type: 'DONE', payload: 1 }, y: { type: 'DONE', payload: 2 } });
    });
  });

  test('completes only after the last inner work completes', () => {
    createScheduler().run(({ hot, cold, expectObservable }) => {
      const input$ = hot('-a|', { a: { type: 'A' } });
      const output$ = input$.pipe(act(() => cold('-----x|', { x: { type: 'DONE' } })));
      expectObservable(output$).toBe('------x|', { x: { type: 'DONE' } });
    });
  });

  test('emits every output of fn (array, Observable of many, single value) and nothing for void', async () => {
    const outputs = await collect(
      from<Event[]>([{ type: 'ARRAY' }, { type: 'OBS' }, { type: 'ONE' }, { type: 'VOID' }]).pipe(
        act(e => {
          switch (e.type) {
            case 'ARRAY':
              return [{ type: 'A1' }, { type: 'A2' }];
            case 'OBS':
              return of({ type: 'O1' }, { type: 'O2' }, { type: 'O3' });
            case 'ONE':
              return { type: 'SINGLE' };
            default:
              return undefined;
          }
        }),
      ),
    );
    expect(outputs.map(e => e.type)).toEqual(['A1', 'A2', 'O1', 'O2', 'O3', 'SINGLE']);
  });

  test('accepts a Promise result; a Promise of nothing emits nothing', async () => {
    const outputs = await collect(
      from<Event<number>[]>([{ type: 'A', payload: 1 }, { type: 'A', payload: 0 }]).pipe(
        act(async e => (e.payload ? { type: 'DONE', payload: e.payload * 10 } : undefined)),
      ),
    );
    expect(outputs).toEqual([{ type: 'DONE', payload: 10 }]);
  });

  test('a synchronous throw becomes the default error event, keeping the input metadata', () => {
    const metadata: EventMetadata = { id: 'm-1', correlationId: 'c-1', headers: { tenant: 'acme' } };
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold('a|', { a: { type: 'ORDER', metadata } });
      const output$ = input$.pipe(
        act(() => {
          throw new TypeError('no stock');
        }),
      );
      expectObservable(output$).toBe('e|', {
        e: { type: 'ORDER_UNHANDLED_ERROR', error: { name: 'TypeError', message: 'no stock' }, metadata },
      });
    });
    expect(UNHANDLED_ERROR_SUFFIX).toBe('_UNHANDLED_ERROR');
  });

  test('an Observable error becomes the default error event', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const input$ = cold('a|', { a: { type: 'ORDER', metadata: { id: '1' } } });
      const output$ = input$.pipe(act(() => cold('--#', undefined, new RangeError('too big'))));
      expectObservable(output$).toBe('--(e|)', {
        e: { type: 'ORDER_UNHANDLED_ERROR', error: { name: 'RangeError', message: 'too big' }, metadata: { id: '1' } },
      });
    });
  });

  test('a rejected Promise becomes the default error event; the error carries no stack', async () => {
    const [output] = await collect(
      of<Event>({ type: 'ORDER', metadata: { id: '1' } }).pipe(act(() => Promise.reject(new Error('db down')))),
    );
    expect(output).toEqual({ type: 'ORDER_UNHANDLED_ERROR', error: { name: 'Error', message: 'db down' }, metadata: { id: '1' } });
    expect(output!.error).not.toHaveProperty('stack');
  });

  test('a non-Error thrown value is encoded too', async () => {
    const [output] = await collect(
      of<Event>({ type: 'X' }).pipe(
        act(() => {
          throw 'plain string';
        }),
      ),
    );
    expect(output).toEqual({ type: 'X_UNHANDLED_ERROR', error: { name: 'Error', message: 'plain string' }, metadata: undefined });
  });

  test('the stream keeps going after a failure', () => {
    createScheduler().run(({ hot, expectObservable }) => {
      const input$ = hot('-a-b-c|', { a: { type: 'A', payload: 1 }, b: { type: 'A', payload: 0 }, c: { type: 'A', payload: 3 } });
      const output$ = input$.pipe(
        act((e: Event<number>) => {
          if (!e.payload) throw new Error('zero');
          return of({ type: 'OK', payload: e.payload });
        }),
      );
      expectObservable(output$).toBe('-x-e-y|', {
        x: { type: 'OK', payload: 1 },
        e: { type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'zero' }, metadata: undefined },
        y: { type: 'OK', payload: 3 },
      });
    });
  });

  test('an input that carries an error goes to the error path without calling fn', async () => {
    const fn = jest.fn(() => ({ type: 'OK' }));
    const errorFn = jest.fn((error: unknown, e: Event) => ({ type: 'FAILED', payload: { error, from: e.type } }));
    const input: Event = { type: 'A', error: { name: 'Error', message: 'upstream' } };
    const outputs = await collect(of(input).pipe(act(fn, errorFn)));
    expect(fn).not.toHaveBeenCalled();
    expect(errorFn).toHaveBeenCalledWith(input.error, input);
    expect(outputs).toEqual([{ type: 'FAILED', payload: { error: input.error, from: 'A' }, error: true }]);

    const [defaulted] = await collect(of(input).pipe(act(fn)));
    expect(defaulted).toEqual({ type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'upstream' }, metadata: undefined });
  });

  test('does not append the suffix twice to an error event type', async () => {
    const [output] = await collect(
      of<Event>({ type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'x' } }).pipe(act(() => undefined)),
    );
    expect(output!.type).toBe('A_UNHANDLED_ERROR');
  });

  test('errorFn results replace the default error event; `error: true` is added when missing', async () => {
    const outputs = await collect(
      of<Event>({ type: 'PAY', metadata: { id: 'p' } }).pipe(
        act(
          () => throwError(() => new Error('declined')),
          (error: Error, e) => [
            { type: 'PAYMENT_FAILED', payload: error.message, metadata: e.metadata },
            { type: 'PAYMENT_FAILED_WITH_ERROR', error: { code: 402 } },
          ],
        ),
      ),
    );
    expect(outputs).toEqual([
      { type: 'PAYMENT_FAILED', payload: 'declined', metadata: { id: 'p' }, error: true },
      { type: 'PAYMENT_FAILED_WITH_ERROR', error: { code: 402 } },
    ]);
  });

  test('errorFn may return an Observable or a Promise', async () => {
    const viaObservable = await collect(
      of<Event>({ type: 'A' }).pipe(act(() => Promise.reject(new Error('x')), () => of({ type: 'RECOVERED' }).pipe(delay(1)))),
    );
    const viaPromise = await collect(
      of<Event>({ type: 'A' }).pipe(
        act(
          () => {
            throw new Error('x');
          },
          async () => ({ type: 'RECOVERED' }),
        ),
      ),
    );
    expect(viaObservable).toEqual([{ type: 'RECOVERED', error: true }]);
    expect(viaPromise).toEqual([{ type: 'RECOVERED', error: true }]);
  });

  test('a throwing errorFn falls back to the default error event of its own error', async () => {
    const outputs = await collect(
      of<Event>({ type: 'A' }).pipe(
        act(
          () => {
            throw new Error('first');
          },
          () => {
            throw new Error('second');
          },
        ),
      ),
    );
    expect(outputs).toEqual([{ type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'second' }, metadata: undefined }]);
  });

  test('a failing errorFn stream is called once and falls back to the default error event', async () => {
    const errorFn = jest.fn(() => throwError(() => new Error('second')));
    const sync = await collect(
      of<Event>({ type: 'A' }).pipe(
        act(() => {
          throw new Error('first');
        }, errorFn),
      ),
    );
    expect(sync).toEqual([{ type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'second' }, metadata: undefined }]);
    expect(errorFn).toHaveBeenCalledTimes(1);

    errorFn.mockClear();
    const async = await collect(of<Event>({ type: 'A' }).pipe(act(() => Promise.reject(new Error('first')), errorFn)));
    expect(async).toEqual([{ type: 'A_UNHANDLED_ERROR', error: { name: 'Error', message: 'second' }, metadata: undefined }]);
    expect(errorFn).toHaveBeenCalledTimes(1);
  });

  test('an error of the source stream is passed on', async () => {
    const source$ = new Subject<Event>();
    const received: unknown[] = [];
    source$.pipe(act(() => ({ type: 'OK' }))).subscribe({ next: v => received.push(v), error: e => received.push(e) });
    source$.next({ type: 'A' });
    const boom = new Error('source failed');
    source$.error(boom);
    expect(received).toEqual([{ type: 'OK' }, boom]);
  });

  test('unsubscribing stops the running work', () => {
    const source$ = new Subject<Event>();
    const work$ = new Subject<Event>();
    const received: Event[] = [];
    const subscription = source$.pipe(act(() => work$)).subscribe(e => received.push(e));
    source$.next({ type: 'A' });
    work$.next({ type: 'FIRST' });
    subscription.unsubscribe();
    work$.next({ type: 'AFTER' });
    expect(received).toEqual([{ type: 'FIRST' }]);
    expect(work$.observed).toBe(false);
  });

  describe('delivery tracking', () => {
    test('matchEvent reports matched, act reports begin, then end when the work completes', () => {
      const tracker = createTracker();
      createScheduler().run(({ cold, expectObservable, flush }) => {
        const input$ = cold('a|', { a: tracked(tracker) });
        const output$ = input$.pipe(
          matchEvent('Job'),
          act(() => cold('--x|', { x: { type: 'Done' } })),
        );
        expectObservable(output$).toBe('--x|', { x: { type: 'Done', metadata: { [DELIVERY_TRACKER]: tracker } } });
        flush();
      });
      expect(tracker.calls).toEqual(['matched', 'begin', 'end']);
      expect(tracker.ends).toEqual([[undefined]]);
    });

    test('a plain value, EMPTY, a string or nothing is done at once: outputs linked to the delivery, end called once, synchronously', () => {
      const results: unknown[] = [{ type: 'Done' }, EMPTY, 'text', undefined, null];
      for (const result of results) {
        const tracker = createTracker();
        const outputs: unknown[] = [];
        let completed = false;
        of(tracked(tracker))
          .pipe(act(() => result as never))
          .subscribe({ next: e => outputs.push(e), complete: () => (completed = true) });
        // all of it before subscribe returned
        expect(completed).toBe(true);
        expect(tracker.calls).toEqual(['begin', 'end']);
        expect(tracker.ends).toEqual([[undefined]]);
        if (result === EMPTY || result === undefined || result === null) expect(outputs).toEqual([]);
        else if (typeof result === 'string') expect(outputs).toEqual(['text']);
        else expect(outputs).toEqual([{ type: 'Done', metadata: { [DELIVERY_TRACKER]: tracker } }]);
      }
    });

    test('a set or a map is one output (as of() made it), not iterated', () => {
      const set = new Set([1, 2]);
      const outputs: unknown[] = [];
      of(tracked(createTracker()))
        .pipe(act(() => set as never))
        .subscribe(e => outputs.push(e));
      expect(outputs).toEqual([set]);
    });

    test('end is called only once the async work has completed', async () => {
      const tracker = createTracker();
      let release!: () => void;
      const done = new Promise<void>(r => (release = r));
      const outputs: Event[] = [];
      of(tracked(tracker))
        .pipe(act(() => done.then(() => ({ type: 'Done' }))))
        .subscribe(e => outputs.push(e));
      expect(tracker.calls).toEqual(['begin']);
      release();
      await done;
      await Promise.resolve();
      // an output without metadata keeps the link to the delivery of its input
      expect(outputs).toEqual([{ type: 'Done', metadata: { [DELIVERY_TRACKER]: tracker } }]);
      expect(tracker.calls).toEqual(['begin', 'end']);
      expect(tracker.ends).toEqual([[undefined]]);
    });

    test('end(error) when fn failed and no errorFn handled it', async () => {
      const tracker = createTracker();
      const failure = new Error('nope');
      const outputs = await collect(of(tracked(tracker)).pipe(act(() => Promise.reject(failure))));
      expect(outputs).toHaveLength(1);
      expect(outputs[0]!.metadata?.[DELIVERY_TRACKER]).toBe(tracker);
      expect(tracker.calls).toEqual(['begin', 'end']);
      expect(tracker.ends).toEqual([[failure]]);
    });

    test('end(error) for a synchronous throw and for an input carrying an error', async () => {
      const thrown = createTracker();
      const failure = new Error('sync');
      await collect(
        of(tracked(thrown)).pipe(
          act(() => {
            throw failure;
          }),
        ),
      );
      expect(thrown.ends).toEqual([[failure]]);

      const errored = createTracker();
      const upstream = { name: 'Error', message: 'upstream' };
      await collect(of(tracked(errored, 'Job', { error: upstream })).pipe(act(() => undefined)));
      expect(errored.ends).toEqual([[upstream]]);
    });

    test('end(undefined) when errorFn handled the failure', async () => {
      const tracker = createTracker();
      const outputs = await collect(
        of(tracked(tracker)).pipe(
          act(
            () => Promise.reject(new Error('nope')),
            () => ({ type: 'Handled' }),
          ),
        ),
      );
      expect(outputs).toEqual([{ type: 'Handled', error: true, metadata: { [DELIVERY_TRACKER]: tracker } }]);
      expect(tracker.calls).toEqual(['begin', 'end']);
      expect(tracker.ends).toEqual([[undefined]]);
    });

    test('end(error) when errorFn itself failed', async () => {
      const tracker = createTracker();
      const second = new Error('second');
      await collect(
        of(tracked(tracker)).pipe(
          act(
            () => Promise.reject(new Error('first')),
            () => {
              throw second;
            },
          ),
        ),
      );
      expect(tracker.ends).toEqual([[second]]);
    });

    test('each event gets its own begin/end, even with several in flight', () => {
      const t1 = createTracker();
      const t2 = createTracker();
      createScheduler().run(({ hot, cold, expectObservable, flush }) => {
        const input$ = hot('-a-b|', { a: tracked(t1, 'Slow'), b: tracked(t2, 'Fast') });
        const output$ = input$.pipe(
          act(e => (e.type === 'Slow' ? cold('-----x|', { x: { type: 'S' } }) : cold('-y|', { y: { type: 'F' } }))),
        );
        // each output stays linked to the delivery of the event that caused it
        expectObservable(output$).toBe('----y-x|', {
          x: { type: 'S', metadata: { [DELIVERY_TRACKER]: t1 } },
          y: { type: 'F', metadata: { [DELIVERY_TRACKER]: t2 } },
        });
        flush();
      });
      expect(t1.calls).toEqual(['begin', 'end']);
      expect(t2.calls).toEqual(['begin', 'end']);
    });

    test('chained acts each begin and end for the same tracked event', async () => {
      const tracker = createTracker();
      await collect(
        of(tracked(tracker)).pipe(
          act(e => ({ type: 'Step', metadata: e.metadata })),
          act(async () => ({ type: 'Done' })),
        ),
      );
      expect(tracker.calls).toEqual(['begin', 'begin', 'end', 'end']);
    });

    test('events without a tracker are fine', async () => {
      const outputs = await firstValueFrom(of<Event>({ type: 'A', metadata: { id: 'x' } }).pipe(act(() => ({ type: 'B' })), toArray()));
      expect(outputs).toEqual([{ type: 'B' }]);
    });
  });
});
