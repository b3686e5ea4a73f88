import * as t from 'io-ts';
import { isObservable, mergeMap, Observable, of, throwError } from 'rxjs';
import { EventError } from '../error/EventError';
import { isEventCodec } from '../event/event';
import type { Event, EventMetadata } from '../event/event.interface';
import type { WholeEventCodec } from '../operators/matchEvent';

/**
 * One reason an event failed validation.
 * @since 0.1.0
 * @category validation
 */
export interface ValidationIssue {
  /** Where, e.g. `payload.items.0.qty`. */
  path: string;
  /** The expected type, by its io-ts name. */
  expected: string;
  /** What was there instead. */
  received: unknown;
}

/**
 * The event a validator lets through: the decoded whole event (event codecs) or the input
 * with a decoded payload (payload codecs).
 * @since 0.1.0
 * @category validation
 */
export type ValidatedBy<C extends t.Any, I extends Event> = C extends WholeEventCodec
  ? t.TypeOf<C> & { metadata: EventMetadata }
  : Omit<I, 'payload'> & { payload: t.TypeOf<C>; metadata: EventMetadata };

/**
 * A validator usable with `act` (one event) and with `use` (a stream).
 * One generic signature, not overloads: TypeScript erases the generics of an overloaded
 * function passed as a callback, which would lose the input event's type.
 * @since 0.1.0
 * @category validation
 */
export interface EventValidator<C extends t.Any> {
  <I extends Event | Observable<Event>>(
    input: I,
  ): Observable<ValidatedBy<C, I extends Observable<infer E extends Event> ? E : Extract<I, Event>>>;
}

/** `undefined` does not survive JSON, so issues carry the string `'undefined'` instead. */
const describeValue = (value: unknown): unknown => (value === undefined ? 'undefined' : value);

const isComposite = (type: t.Decoder<any, any> | undefined): boolean =>
  type instanceof t.IntersectionType || type instanceof t.UnionType;

const issuesOf = (errors: t.Errors, prefix: string): ValidationIssue[] =>
  errors.map(error => {
    // members of an intersection or a union are not a level of the path: skip their index
    const keys = error.context
      .filter((entry, i) => entry.key !== '' && !isComposite(error.context[i - 1]?.type))
      .map(entry => entry.key);
    const last = error.context[error.context.length - 1];
    return {
      path: [prefix, ...keys].filter(Boolean).join('.') || '(root)',
      expected: last?.type.name ?? 'unknown',
      received: describeValue(error.value),
    };
  });

/**
 * Decodes incoming events with an io-ts codec: an `event()` codec (the whole event) or a
 * payload codec. A failure is an {@link EventError} naming each bad path, the expected type
 * and the received value; inside `act` it becomes an error event (an error reply for RPC)
 * and the message is dead-lettered without retries, since it would fail the same again.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { act, Effect, Event, event, eventValidator$, matchEvent } from '@tributary/core';
 * const AddItem = event('AddItem')(t.type({ sku: t.string, qty: t.number }));
 * export const addItem$: Effect<Event, Event> = event$ =>
 *   event$.pipe(
 *     matchEvent(AddItem),
 *     act(eventValidator$(AddItem)),
 *     act(e => ({ type: 'ItemAdded', payload: { sku: e.payload.sku } })),
 *   );
 * ```
 * @param codec - an `event()` codec or a payload codec
 * @since 0.1.0
 * @category validation
 */
export function eventValidator$<C extends t.Any>(codec: C): EventValidator<C> {
  const whole = isEventCodec(codec);
  const validate = <I extends Event>(event: I): Observable<ValidatedBy<C, I>> => {
    const input = whole ? { type: event.type, payload: event.payload } : event.payload;
    const result = codec.decode(input);
    if (result._tag === 'Right') {
      const decoded = whole ? { ...event, ...(result.right as object) } : { ...event, payload: result.right };
      return of(decoded as unknown as ValidatedBy<C, I>);
    }
    const issues = issuesOf(result.left, whole ? '' : 'payload');
    const summary = issues
      .map((issue, i) => {
        const received = result.left[i]!.value === undefined ? 'undefined' : JSON.stringify(issue.received);
        return `${issue.path}: expected ${issue.expected}, received ${received}`;
      })
      .join('; ');
    return throwError(() => new EventError(event, `Event "${event.type}" failed validation: ${summary}`, issues));
  };
  return ((input: Event | Observable<Event>) =>
    isObservable(input) ? input.pipe(mergeMap(validate)) : validate(input)) as EventValidator<C>;
}
