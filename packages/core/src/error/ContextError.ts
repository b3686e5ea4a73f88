import { CoreError } from './CoreError';

/**
 * Thrown when a dependency cannot be found or built: names the token and lists the bound
 * ones.
 *
 * @example
 * ```ts
 * import { ContextError } from '@tributary/core';
 * new ContextError('"Db" is not bound').name; // 'ContextError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ContextError extends CoreError {
  override readonly name = 'ContextError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { context: 'context', ...options });
  }
}
