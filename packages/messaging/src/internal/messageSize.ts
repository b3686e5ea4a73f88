import { MessageTooLargeError } from '../errors/errors';

/** A body's size in bytes, or -1 when it is no bytes (an object on the local transport). Only a length read: no copy. */
export const byteSize = (data: unknown): number =>
  typeof data === 'string' ? Buffer.byteLength(data) : data instanceof Uint8Array ? data.byteLength : -1;

/** The error for a body over `limit` (0 or absent: none), or undefined. */
export const oversize = (data: unknown, limit: number | undefined, channel: string): MessageTooLargeError | undefined => {
  if (!limit) return undefined;
  const size = byteSize(data);
  return size > limit ? new MessageTooLargeError(channel, size, limit) : undefined;
};
