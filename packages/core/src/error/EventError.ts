import type { Event } from '../event/event.interface';

/**
 * An error about one event: it failed validation or was rejected by a handler. `data`
 * carries details (for validation: each bad path with the expected type and the received
 * value). Sent back to RPC callers, who get an `EventError` again.
 *
 * @example
 * ```ts
 * import { EventError, isEventError } from '@tributary/core';
 * const e = new EventError({ type: 'Pay' }, 'Amount must be positive', { amount: -1 });
 * isEventError(e); // true
 * ```
 * @since 0.1.0
 * @category errors
 */
export class EventError extends Error {
  // `string`, not the literal: subclasses (`UnsupportedVersionError`) have their own name
  override readonly name: string = 'EventError';

  constructor(
    readonly event: Event,
    message: string,
    readonly data?: unknown,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * Tells whether an error is an {@link EventError} (or an `UnsupportedVersionError`, its
 * subclass), also one decoded from a remote reply or thrown by another copy of this package.
 * @example
 * ```ts
 * import { isEventError } from '@tributary/core';
 * isEventError(new Error('x')); // false
 * ```
 * @since 0.1.0
 * @category errors
 */
export const isEventError = (error: unknown): error is EventError =>
  error instanceof EventError ||
  (error instanceof Error && (error.name === 'EventError' || error.name === 'UnsupportedVersionError'));
