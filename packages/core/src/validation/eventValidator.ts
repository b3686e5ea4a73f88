import * as t from 'io-ts';
import { isObservable, mergeMap, Observable, of, throwError } from 'rxjs';
import { EventError } from '../error/EventError';
import { UnsupportedVersionError } from '../error/UnsupportedVersionError';
import { isEventCodec } from '../event/event';
import type { Event, EventMetadata } from '../event/event.interface';
import { receivedVersion, upcast, versioningOf } from '../internal/upcast';
import { describeIssues } from '../internal/validationIssues';

export type { ValidationIssue } from './ValidationIssue';
import type { WholeEventCodec } from '../operators/matchEvent';

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

/**
 * Decodes incoming events with an io-ts codec: an `event()` codec (the whole event) or a
 * payload codec. A failure is an {@link EventError} naming each bad path, the expected type
 * and the received value; inside `act` it becomes an error event (an error reply for RPC)
 * and the message is dead-lettered without retries, since it would fail the same again.
 *
 * Versions (`event(type, { version, upcasters })`, `evolve`): the received version is
 * `metadata.version` (absent: 1). An older event is upcast to the codec's version before it
 * is decoded, so the effect sees the newest payload, and the validated event carries
 * `metadata.version` = the codec's version (left absent for version 1). A newer event fails
 * with an {@link UnsupportedVersionError}; a missing or throwing upcaster with an
 * `EventError` naming the step. A payload codec, or an io-ts codec not made by `event()`,
 * is version 1. An event of another type is not upcast (it fails on its type).
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
  const versioning = versioningOf(codec);
  const fail = (error: Error) => throwError(() => error);
  const validate = <I extends Event>(event: I): Observable<ValidatedBy<C, I>> => {
    let payload = event.payload;
    let metadata = event.metadata;
    // an event of another type fails on its type below, whatever its version
    if (!whole || event.type === codec.props.type.value) {
      const received = receivedVersion(event);
      if (received === undefined) {
        const message = `Event "${event.type}" has an invalid metadata.version ${JSON.stringify(event.metadata?.version)}: a version is a whole number from 1 (absent means 1). Fix the producer.`;
        return fail(new EventError(event, message, [{ path: 'metadata.version', expected: 'version', received: event.metadata?.version }]));
      }
      if (received > versioning.version) return fail(new UnsupportedVersionError(event, received, versioning.version));
      if (received < versioning.version) {
        try {
          payload = upcast(event, received, versioning);
        } catch (error) {
          return fail(error as Error);
        }
      }
      if (versioning.version > 1) metadata = { ...metadata, version: versioning.version };
    }
    const result = codec.decode(whole ? { type: event.type, payload } : payload);
    if (result._tag === 'Right') {
      const decoded = whole ? { ...event, ...(result.right as object) } : { ...event, payload: result.right };
      if (metadata !== event.metadata) Object.assign(decoded, { metadata });
      return of(decoded as unknown as ValidatedBy<C, I>);
    }
    const { issues, summary } = describeIssues(result.left, whole ? '' : 'payload');
    return fail(new EventError(event, `Event "${event.type}" failed validation: ${summary}`, issues));
  };
  return ((input: Event | Observable<Event>) =>
    isObservable(input) ? input.pipe(mergeMap(validate)) : validate(input)) as EventValidator<C>;
}
