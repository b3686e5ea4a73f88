/**
 * The transports a scaffolded service can use.
 *
 * @example
 * ```ts
 * import { TRANSPORTS } from 'create-tributary';
 * TRANSPORTS.includes('redis'); // true
 * ```
 * @since 0.2.0
 * @category scaffold
 */
export const TRANSPORTS = ['local', 'amqp', 'redis', 'kafka'] as const;

/**
 * One of {@link TRANSPORTS}.
 * @since 0.2.0
 * @category scaffold
 */
export type TransportName = (typeof TRANSPORTS)[number];

/**
 * What to scaffold, and where.
 *
 * @example
 * ```ts
 * import { ScaffoldOptions } from 'create-tributary';
 * const options: ScaffoldOptions = { directory: 'my-service', transport: 'amqp' };
 * ```
 * @since 0.2.0
 * @category scaffold
 */
export interface ScaffoldOptions {
  /** The folder to create (it must not exist, or be empty); its last segment names the package. */
  readonly directory: string;
  /** The transport of the service; `local` runs in one process, the others need their broker. */
  readonly transport?: TransportName;
  /**
   * For testing unpublished packages: a folder of `npm pack` tarballs. The project's
   * `@tributary/*` dependencies then point at `file:` tarballs there instead of the registry.
   */
  readonly registryTarballs?: string;
  /** The `@tributary/*` version range to depend on; by default `^` this package's version. */
  readonly version?: string;
}

/**
 * The defaults of {@link ScaffoldOptions}.
 *
 * @example
 * ```ts
 * import { DEFAULT_SCAFFOLD_OPTIONS } from 'create-tributary';
 * DEFAULT_SCAFFOLD_OPTIONS.transport; // 'local'
 * ```
 * @since 0.2.0
 * @category scaffold
 */
export const DEFAULT_SCAFFOLD_OPTIONS = { transport: 'local' } as const satisfies Partial<ScaffoldOptions>;
