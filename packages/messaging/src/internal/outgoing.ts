import { randomUUID } from 'node:crypto';
import { EncodedError, Event, EventError, EventMetadata, getDeliveryTracker } from '@tributary/core';
import { Delivery } from './Delivery';
import { RemoteError } from '../errors/errors';
import { wireMetadata } from './codec';

/** Metadata keys that belong to one delivery, never to an event being sent. */
const LOCAL_KEYS: ReadonlySet<string> = new Set(['raw', 'replyTo', 'attempt']);

/**
 * A copy of an event about to be sent, with `id`, `timestamp` and `correlationId` filled. Its
 * metadata is fresh and holds only what crosses the wire (one copy).
 */
export const outgoingEvent = (event: Event): Event => {
  const metadata: EventMetadata = wireMetadata(event.metadata, LOCAL_KEYS) ?? {};
  // metadata taken from a received event: this is a new event, caused by that one
  const cause = getDeliveryTracker(event);
  if (cause instanceof Delivery) {
    metadata.causationId = cause.event.metadata?.id;
    metadata.id = randomUUID();
    metadata.timestamp = Date.now();
  } else {
    metadata.id ??= randomUUID();
    metadata.timestamp ??= Date.now();
  }
  metadata.correlationId ??= metadata.id;
  return { type: event.type, payload: event.payload, error: event.error, metadata };
};

/** The error a reply carries, as an Error: an `EventError` again, or a `RemoteError` with the remote name. */
export const replyError = (reply: Event): Error => {
  const error = reply.error as EncodedError | string | boolean;
  if (error && typeof error === 'object') {
    if (error.name === 'EventError') return new EventError(reply, String(error.message), error.data);
    return new RemoteError(error);
  }
  return new RemoteError({ name: 'RemoteError', message: typeof error === 'string' ? error : `"${reply.type}" failed` });
};
