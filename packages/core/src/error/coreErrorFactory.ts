import { CoreError } from './CoreError';

/**
 * Options of {@link coreErrorFactory} (Marble.js compatible; stack trace options are
 * accepted and ignored: Tributary never rewrites stack traces).
 * @since 0.1.0
 * @category errors
 */
export interface CoreErrorOptions {
  contextMethod?: string;
  contextPackage?: string;
  offset?: number;
  printStacktrace?: boolean;
}

/**
 * Makes a {@link CoreError} whose context is `package.method`.
 *
 * @example
 * ```ts
 * import { coreErrorFactory } from '@tributary/core';
 * const error = coreErrorFactory('Config is missing', { contextPackage: 'app', contextMethod: 'boot' });
 * error.context; // 'app.boot'
 * ```
 * @since 0.1.0
 * @category errors
 */
export const coreErrorFactory = (message: string, options: CoreErrorOptions = {}): CoreError =>
  new CoreError(message, {
    context: [options.contextPackage, options.contextMethod].filter(Boolean).join('.') || undefined,
  });
