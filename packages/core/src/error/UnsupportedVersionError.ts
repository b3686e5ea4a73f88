import type { Event } from '../event/event.interface';
import { EventError } from './EventError';

/**
 * An event is newer than the codec that reads it: its `metadata.version` is above the
 * codec's `version`. It is never retried (a retry would fail the same way): messaging
 * dead-letters it with reason `unsupported-version`, and a `send` gets it back at once.
 * Fix: deploy the consumers that know the new version before the producers that send it,
 * then redrive the dead letters.
 *
 * Errors cross the wire as `{ name, message, ...fields }`, so recognise it with
 * {@link isUnsupportedVersionError} (it reads the `name`), not with `instanceof`.
 *
 * @example
 * ```ts
 * import { isUnsupportedVersionError, UnsupportedVersionError } from '@tributary/core';
 * const error = new UnsupportedVersionError({ type: 'OrderPlaced', metadata: { version: 4 } }, 4, 3);
 * error.name;                       // 'UnsupportedVersionError'
 * [error.type, error.received, error.supported]; // ['OrderPlaced', 4, 3]
 * isUnsupportedVersionError(error); // true
 * ```
 * @since 0.2.0
 * @category errors
 */
export class UnsupportedVersionError extends EventError {
  override readonly name = 'UnsupportedVersionError';
  /** The event's type. */
  readonly type: string;

  /**
   * @param event - the event received
   * @param received - its version (`metadata.version`)
   * @param supported - the newest version the consumer knows (the codec's `version`)
   */
  constructor(
    event: Event,
    readonly received: number,
    readonly supported: number,
  ) {
    super(
      event,
      `Event "${event.type}" is version ${received}, newer than the version ${supported} this consumer knows. ` +
        `Deploy the consumer that knows version ${received} (event('${event.type}', { version: ${received}, upcasters })) ` +
        `before the producers that send it, then redrive the dead-lettered events.`,
    );
    this.type = event.type;
  }
}

/**
 * Tells whether an error is an {@link UnsupportedVersionError}: an instance, one thrown by
 * another copy of `@tributary/core`, one decoded from a remote reply (a `RemoteError` named
 * so), or its encoded form `{ name: 'UnsupportedVersionError', message, ... }`.
 *
 * @example
 * ```ts
 * import { isUnsupportedVersionError } from '@tributary/core';
 * isUnsupportedVersionError({ name: 'UnsupportedVersionError', message: '...' }); // true
 * isUnsupportedVersionError(new Error('x'));                                     // false
 * ```
 * @since 0.2.0
 * @category errors
 */
export const isUnsupportedVersionError = (
  error: unknown,
): error is Pick<UnsupportedVersionError, 'name' | 'message' | 'type' | 'received' | 'supported'> =>
  error instanceof UnsupportedVersionError ||
  (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'UnsupportedVersionError');
