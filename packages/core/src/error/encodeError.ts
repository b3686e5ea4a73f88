/**
 * The serializable form of an error carried in `event.error`: its `name`, `message` and any
 * own enumerable data (never the stack).
 * @since 0.1.0
 * @category errors
 */
export interface EncodedError {
  name: string;
  message: string;
  [key: string]: unknown;
}

/**
 * Turns anything thrown into an {@link EncodedError}, safe to send over the wire.
 *
 * @example
 * ```ts
 * import { encodeError } from '@tributary/core';
 * encodeError(new TypeError('bad')); // { name: 'TypeError', message: 'bad' }
 * encodeError('boom');               // { name: 'Error', message: 'boom' }
 * ```
 * @since 0.1.0
 * @category errors
 */
export const encodeError = (error: unknown): EncodedError => {
  if (error instanceof Error) {
    const encoded: EncodedError = { name: error.name, message: error.message };
    for (const key of Object.keys(error)) {
      const value = (error as any)[key];
      // the failing event travels separately; functions and raw messages do not serialize
      if (key === 'event' || key === 'stack' || typeof value === 'function') continue;
      encoded[key] = value;
    }
    return encoded;
  }
  if (error && typeof error === 'object' && typeof (error as any).message === 'string') {
    return { name: String((error as any).name ?? 'Error'), ...(error as object), message: (error as any).message };
  }
  return { name: 'Error', message: String(error) };
};
