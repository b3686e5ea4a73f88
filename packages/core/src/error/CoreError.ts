/**
 * Base of every error Tributary throws. Always an `Error` with a `name`; `context` says
 * where it came from (`'messaging.client.send'`, ...).
 *
 * @example
 * ```ts
 * import { CoreError, isCoreError } from '@tributary/core';
 * const error = new CoreError('Listener is missing: pass listener to createMicroservice', { context: 'messaging' });
 * isCoreError(error); // true
 * ```
 * @since 0.1.0
 * @category errors
 */
export class CoreError extends Error {
  override readonly name: string = 'CoreError';
  readonly context?: string;

  constructor(message: string, options: { context?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.context !== undefined) this.context = options.context;
  }
}

/**
 * Tells whether a value is a {@link CoreError} (or a subclass).
 * @example
 * ```ts
 * import { isCoreError } from '@tributary/core';
 * isCoreError(new Error('x')); // false
 * ```
 * @since 0.1.0
 * @category errors
 */
export const isCoreError = (error: unknown): error is CoreError => error instanceof CoreError;
