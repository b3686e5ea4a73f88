let nextId = 0;

/**
 * A typed key for a dependency in the {@link Context}.
 * @since 0.1.0
 * @category context
 */
export interface ContextToken<T = any> {
  readonly name?: string;
  readonly _id: string;
  /** Phantom field carrying the dependency type; never read. */
  readonly _T: T;
}

/**
 * Creates a typed key for a dependency. The name shows up in errors.
 *
 * @example
 * ```ts
 * import { createContextToken } from '@tributary/core';
 * interface Db { query(sql: string): Promise<unknown[]> }
 * export const DbToken = createContextToken<Db>('Db');
 * ```
 * @since 0.1.0
 * @category context
 */
export const createContextToken = <T>(name?: string): ContextToken<T> =>
  ({ name, _id: `${name ?? 'token'}#${++nextId}`, _T: undefined as unknown as T }) as ContextToken<T>;
