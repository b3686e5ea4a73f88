import { EMPTY, from, isObservable, Observable, ObservableInput, of, Subscription } from 'rxjs';
import { DELIVERY_TRACKER } from '../event/deliveryTracker';
import type { DeliveryTracker } from '../event/deliveryTracker';
import { getDeliveryTracker } from '../event/getDeliveryTracker';
import type { Event } from '../event/event.interface';
import { encodeError } from '../error/encodeError';

/** Suffix of the type of the error event `act` makes when an event's work fails. */
export const UNHANDLED_ERROR_SUFFIX = '_UNHANDLED_ERROR';

/**
 * What an `act` function may return: an Observable, a Promise, an array of events, one
 * event, or nothing.
 * @since 0.1.0
 * @category operators
 */
export type ActResult<O> = Observable<O> | PromiseLike<O | void> | ObservableInput<O> | O | void;

const toObservable = <O>(result: ActResult<O>): Observable<O> => {
  if (isObservable(result)) return result as Observable<O>;
  if (result === undefined || result === null) return EMPTY_OF<O>();
  if (typeof (result as PromiseLike<O>).then === 'function') {
    return new Observable<O>(subscriber => {
      (result as PromiseLike<O | void>).then(
        value => {
          if (value !== undefined && value !== null) subscriber.next(value as O);
          subscriber.complete();
        },
        error => subscriber.error(error),
      );
    });
  }
  if (Array.isArray(result)) return from(result as O[]);
  return of(result as O);
};

/** A result that emits nothing: `fn` returned nothing, or RxJS's `EMPTY`. */
const isNothing = (result: unknown): boolean => result === undefined || result === null || result === EMPTY;

/**
 * A result that is one value, known now: neither a stream, a promise, an array nor another
 * iterable. `of(value)` would emit it at once, synchronously, and complete.
 */
const isSingleValue = (result: unknown): boolean =>
  typeof result !== 'object' && typeof result !== 'function'
    ? true
    : typeof result === 'object' &&
      !isObservable(result) &&
      typeof (result as PromiseLike<unknown>).then !== 'function' &&
      !Array.isArray(result) &&
      typeof (result as Iterable<unknown>)[Symbol.iterator] !== 'function' &&
      typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function';

const EMPTY_OF = <O>() => new Observable<O>(subscriber => subscriber.complete());

/**
 * What `act` gives its callback besides the event.
 * @example
 * ```ts
 * import { act, matchEvent, Effect } from '@tributary/core';
 * export const fetchPrice$: Effect = event$ =>
 *   event$.pipe(matchEvent('GetPrice'), act((event, { signal }) => fetch('http://127.0.0.1:9/price', { signal })));
 * ```
 * @since 0.2.0
 * @category operators
 */
export interface ActContext {
  /**
   * Aborted when the delivery machinery gives up on this event's work (a drain on close that
   * timed out: the message goes back to the broker and another instance will handle it).
   * Pass it to `fetch`, database drivers and timers so the abandoned work stops.
   */
  readonly signal: AbortSignal;
}

// events that no delivery machinery tracks are never abandoned: one signal that never fires
const NEVER_ABORTED: ActContext = { signal: new AbortController().signal };

/**
 * The context of a tracked event. `signal` is read from the tracker only when the callback asks
 * for it: a tracker may make its AbortController on demand, and most callbacks never ask.
 */
class TrackedActContext implements ActContext {
  constructor(private readonly tracker: DeliveryTracker) {}
  get signal(): AbortSignal {
    return this.tracker.signal ?? NEVER_ABORTED.signal;
  }
}

const defaultErrorEvent = (error: unknown, event: Event): Event => ({
  type: event.type.endsWith(UNHANDLED_ERROR_SUFFIX) ? event.type : event.type + UNHANDLED_ERROR_SUFFIX,
  error: encodeError(error),
  metadata: event.metadata,
});

/**
 * Runs `fn` for each event, isolated: when it throws or its stream errors, the error
 * becomes an error event `{ type: '<TYPE>_UNHANDLED_ERROR', error: { name, message }, metadata }`
 * (or whatever `errorFn` returns) and the effect keeps running for the next events. An
 * input that already carries `error` goes straight to the error path. Under a messaging
 * server, `act` also tells the delivery machinery when the event's work has finished, so
 * that the message is acknowledged only then (or retried, when `fn` failed and no `errorFn`
 * handled it).
 *
 * @example
 * ```ts
 * import { map, of } from 'rxjs';
 * import { act, Effect, Event, matchEvent } from '@tributary/core';
 * const charge = async (orderId: string) => ({ chargeId: `ch-${orderId}` });
 *
 * export const payment$: Effect<Event, Event> = event$ =>
 *   event$.pipe(
 *     matchEvent('OrderCreated'),
 *     act(event => charge((event.payload as { orderId: string }).orderId)
 *       .then(payload => ({ type: 'PaymentCaptured', payload }))),
 *     // or: act(fn, (error, event) => ({ type: 'PaymentFailed', error, metadata: event.metadata }))
 *   );
 * ```
 * @param fn - the work for one event, called as `(event, { signal })` (`signal` fires when the
 * delivery machinery gives up on the event, see {@link ActContext}); returns an Observable, a
 * Promise, event(s) or nothing
 * @param errorFn - turns a failure into the event(s) to emit instead of the default error event
 * @return an operator running `fn` per event, concurrently. Its type is that of `fn`'s and
 * `errorFn`'s events; the default error events are left out of it, as in Marble.js, so that
 * the next operator sees the events `fn` makes.
 * @since 0.1.0
 * @category operators
 */
export function act<I extends Event, O = Event, E = never>(
  fn: (event: I, ctx: ActContext) => ActResult<O>,
  errorFn?: (error: any, event: I) => ActResult<E>,
): (source: Observable<I>) => Observable<Exclude<O, void> | Exclude<E, void>> {
  // the output type drops `void`: a `fn` returning nothing emits nothing
  return (source: Observable<I>): Observable<any> =>
    new Observable<O | E>(subscriber => {
      const inner = new Set<Subscription>();
      // work still running, to tell its delivery it stopped if the effect is torn down
      const running = new Set<() => void>();
      let outerDone = false;
      const maybeComplete = () => {
        if (outerDone && inner.size === 0) subscriber.complete();
      };

      /**
       * The work of one event that is a stream, or that failed: `start` is the stream, or the
       * error to recover from (`errorFn` or the default error event). `ended`: the delivery was
       * told already (a value handed on synchronously whose subscriber threw).
       */
      const runWork = (event: I, tracker: DeliveryTracker | undefined, start: { stream$: Observable<O | E> } | { error: unknown }, ended = false) => {
        let failure: unknown;
        const end = (sub: Subscription | undefined) => {
          if (ended) return;
          ended = true;
          if (sub) inner.delete(sub);
          if (tracker) running.delete(stopped);
          tracker?.end(failure);
        };
        const stopped = () => {
          failure ??= stoppedError();
          end(undefined);
        };
        const onError = (error: unknown): Observable<O | E> => {
          if (!errorFn) failure = error ?? new Error('act: the stream errored with no error value');
          try {
            return errorFn
              ? toObservable(errorFn(error, event)).pipe(markError())
              : of(defaultErrorEvent(error, event) as E);
          } catch (thrown) {
            failure = thrown;
            return of(defaultErrorEvent(thrown, event) as E);
          }
        };
        // already on the error path: a failing errorFn stream must not call errorFn again
        let recovering = !('stream$' in start);
        const work$ = 'stream$' in start ? start.stream$ : onError(start.error);
        let sub: Subscription | undefined;
        const subscribeTo = (stream$: Observable<O | E>) =>
          stream$.subscribe({
            next: value => subscriber.next(tracker ? linkToDelivery(value, tracker) : value),
            error: error => {
              if (recovering) {
                failure = error;
                subscriber.next(defaultErrorEvent(error, event) as E);
                end(sub);
                maybeComplete();
                return;
              }
              recovering = true;
              const next = subscribeTo(onError(error));
              if (sub) inner.delete(sub);
              sub = next;
              if (!ended) inner.add(next);
            },
            complete: () => {
              end(sub);
              maybeComplete();
            },
          });
        sub = subscribeTo(work$);
        // work that ended synchronously (most of it) never enters the sets
        if (!ended) {
          inner.add(sub);
          if (tracker) running.add(stopped);
        }
      };

      // per event: no closure unless the result is a stream or something failed (the hot path)
      const run = (event: I) => {
        const tracker = getDeliveryTracker(event);
        tracker?.begin();
        if (event.error) return runWork(event, tracker, { error: event.error });
        let result: ActResult<O>;
        try {
          result = fn(event, tracker ? new TrackedActContext(tracker) : NEVER_ABORTED);
        } catch (error) {
          return runWork(event, tracker, { error });
        }
        // a result that is not a stream is done now: no Observable, no subscription
        const nothing = isNothing(result);
        if (nothing || isSingleValue(result)) {
          try {
            if (!nothing) subscriber.next(tracker ? linkToDelivery(result as O, tracker) : (result as O));
          } catch (error) {
            // a subscriber that threw: its delivery has ended; the error becomes an error event
            tracker?.end(undefined);
            maybeComplete();
            return runWork(event, tracker, { error }, true);
          }
          tracker?.end(undefined);
          maybeComplete();
          return;
        }
        let stream$: Observable<O>;
        try {
          stream$ = toObservable(result);
        } catch (error) {
          return runWork(event, tracker, { error });
        }
        runWork(event, tracker, { stream$ });
      };

      const outer = source.subscribe({
        next: run,
        error: error => subscriber.error(error),
        complete: () => {
          outerDone = true;
          maybeComplete();
        },
      });
      return () => {
        outer.unsubscribe();
        for (const sub of inner) sub.unsubscribe();
        inner.clear();
        for (const stop of [...running]) stop();
      };
    });
}

/** An output with no metadata is caused by the input: it keeps the link to its delivery. */
const linkToDelivery = <V>(value: V, tracker: NonNullable<ReturnType<typeof getDeliveryTracker>>): V =>
  value && typeof value === 'object' && typeof (value as unknown as Event).type === 'string' && (value as unknown as Event).metadata === undefined
    ? (Object.assign({}, value, { metadata: { [DELIVERY_TRACKER]: tracker } }) as V) // not spread: V8's slow path
    : value;

const stoppedError = (): Error =>
  Object.assign(new Error('The effect stopped before this event was handled; it will be delivered again.'), { name: 'EffectStoppedError' });

/** Error events from `errorFn` always carry `error` (Marble.js compatible). */
const markError =
  <E>() =>
  (source: Observable<E>): Observable<E> =>
    new Observable<E>(subscriber =>
      source.subscribe({
        next: value =>
          subscriber.next(
            value && typeof value === 'object' && (value as unknown as Event).error === undefined
              ? (Object.assign({}, value, { error: true }) as E)
              : value,
          ),
        error: error => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
