/**
 * What `create-tributary` throws when it cannot scaffold: the message says how to fix it.
 *
 * @example
 * ```ts
 * import { scaffold, ScaffoldError } from 'create-tributary';
 * try {
 *   scaffold({ directory: 'my-service', transport: 'local' });
 * } catch (error) {
 *   if (error instanceof ScaffoldError) console.error(error.message);
 * }
 * ```
 * @since 0.2.0
 * @category errors
 */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}
