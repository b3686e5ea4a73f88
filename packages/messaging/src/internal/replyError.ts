import { EncodedError, Event, EventError } from '@tributary/core';
import { RemoteError } from '../errors/errors';

/** The error a reply carries, as an Error: an `EventError` again, or a `RemoteError` with the remote name. */
export const replyError = (reply: Event): Error => {
  const error = reply.error as EncodedError | string | boolean;
  if (error && typeof error === 'object') {
    if (error.name === 'EventError') return new EventError(reply, String(error.message), error.data);
    return new RemoteError(error);
  }
  return new RemoteError({ name: 'RemoteError', message: typeof error === 'string' ? error : `"${reply.type}" failed` });
};
