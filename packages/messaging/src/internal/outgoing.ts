import { randomUUID } from 'node:crypto';
import { EncodedError, Event, EventError, getDeliveryTracker } from '@tributary/core';
import { Delivery } from './Delivery';
import { RemoteError } from '../errors/errors';
import { wireMetadata } from './codec';

/** A copy of an event about to be sent, with `id`, `timestamp` and `correlationId` filled. */
export const outgoingEvent = (event: Event): Event => {
  const metadata = wireMetadata(event.metadata) ?? {};
  // metadata taken from a received event: this is a new event, caused by that one
  const cause = getDeliveryTracker(event);
  if (cause instanceof Delivery) {
    metadata.causationId = cause.event.metadata?.id;
    metadata.id = undefined;
    metadata.timestamp = undefined;
  }
  const id = metadata.id ?? randomUUID();
  metadata.id = id;
  metadata.timestamp ??= Date.now();
  metadata.correlationId ??= id;
  delete metadata.replyTo;
  delete metadata.attempt;
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
