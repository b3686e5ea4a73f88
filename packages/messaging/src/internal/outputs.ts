import { uuid } from './uuid';
import { DELIVERY_TRACKER, encodeError, Event, EventMetadata } from '@tributary/core';
import { asListenerDelivery } from '../server/microservice.interface';
import { wireMetadata } from './codec';

/**
 * The output router: where an event goes and which metadata it carries there, for the three
 * ways events leave a service — a client's `emit`/`send`/`publish` ({@link outgoingEvent}), an
 * effect's output ({@link addressOutput} then {@link routeOutput}), and `reply()`
 * ({@link replyMetadata}).
 */

/** `replyTo` of a `reply()` that found no destination: such an output is dropped. */
export const UNKNOWN_TAG = '_UNKNOWN_';

/** Marks an output addressed back to the service's own channel by default (never serialized). */
const TO_ORIGIN: unique symbol = Symbol('@tributary/messaging/toOrigin');

/** Metadata keys that belong to one delivery, never to an event being sent. */
const LOCAL_KEYS: ReadonlySet<string> = new Set(['raw', 'replyTo', 'attempt']);

/**
 * A copy of an event about to be sent by a client, with `id`, `timestamp` and `correlationId`
 * filled. Its metadata is fresh and holds only what crosses the wire (one copy). Metadata
 * taken from a received event makes a new event, caused by that one.
 */
export const outgoingEvent = (event: Event): Event => {
  const metadata: EventMetadata = wireMetadata(event.metadata, LOCAL_KEYS) ?? {};
  const cause = asListenerDelivery(event)?.event.metadata;
  if (cause) {
    metadata.causationId = cause.id;
    metadata.id = uuid();
    metadata.timestamp = Date.now();
  } else {
    metadata.id ??= uuid();
    metadata.timestamp ??= Date.now();
  }
  metadata.correlationId ??= metadata.id;
  return { type: event.type, payload: event.payload, error: event.error, metadata };
};

/**
 * Addresses an effect's output, as `output$` sees it: an event without `replyTo` goes back to
 * the service's own channel (Marble.js chaining) and says so — `replyTo` is that channel and
 * `correlationId` the input's.
 */
export const addressOutput = (event: Event, channel: string): Event => {
  const metadata = event.metadata;
  if (metadata?.replyTo !== undefined) return event;
  const cause = asListenerDelivery(event)?.event.metadata;
  const addressed: EventMetadata = Object.assign({}, metadata, {
    replyTo: channel,
    correlationId: metadata?.correlationId ?? cause?.correlationId,
    [TO_ORIGIN]: true,
  });
  return Object.assign({}, event, { metadata: addressed });
};

/**
 * Where an effect's output goes and the event sent there, or `undefined` when it is not sent:
 * a `reply()` without destination, or an error event going back to the service's own channel
 * (the failed message is retried or dead-lettered instead).
 */
export const routeOutput = (event: Event, channel: string): { destination: string; event: Event } | undefined => {
  const metadata = event.metadata;
  const replyTo = metadata?.replyTo;
  if (replyTo === UNKNOWN_TAG) return undefined;
  const toOrigin = replyTo === undefined || metadata?.[TO_ORIGIN] === true;
  if (event.error !== undefined && toOrigin) return undefined;
  const cause = asListenerDelivery(event)?.event.metadata;
  const out: EventMetadata = {
    id: uuid(),
    correlationId: metadata?.correlationId ?? cause?.correlationId,
    causationId: cause?.id ?? metadata?.causationId,
    // a reply keeps its address; an event chained to the own channel is an emit, not a request
    replyTo: toOrigin ? undefined : replyTo,
    timestamp: Date.now(),
    headers: metadata?.headers ?? cause?.headers,
  };
  const key = metadata?.key ?? cause?.key;
  if (key !== undefined) out.key = key;
  const error = event.error instanceof Error ? encodeError(event.error) : event.error;
  return { destination: toOrigin ? channel : replyTo!, event: { type: event.type, payload: event.payload, error, metadata: out } };
};

/**
 * The metadata of `reply(to)(event)`: the request's `correlationId`, `replyTo` and headers
 * (what the reply sets wins), and the link to the request's delivery.
 */
export const replyMetadata = (origin: EventMetadata | undefined, target: EventMetadata | undefined): EventMetadata => {
  const metadata: EventMetadata = {
    raw: origin?.raw ?? target?.raw,
    correlationId: origin?.correlationId ?? target?.correlationId,
    replyTo: origin?.replyTo ?? target?.replyTo ?? UNKNOWN_TAG,
  };
  const headers = origin?.headers ?? target?.headers;
  if (headers) metadata.headers = headers;
  const tracker = origin?.[DELIVERY_TRACKER] ?? target?.[DELIVERY_TRACKER];
  if (tracker) metadata[DELIVERY_TRACKER] = tracker;
  return metadata;
};
