import { ConnectionStatus } from '@tributary/messaging';

/**
 * Marble.js's names for the Redis connection states, mapped onto the `ConnectionStatus`
 * values that `status$` emits, so that `status === RedisConnectionStatus.READY` keeps working
 * in ported code. `READY` and `CONNECT` are both `'connected'`.
 *
 * @example
 * ```ts
 * import { RedisConnectionStatus } from '@tributary/redis';
 * // connection.status$.pipe(filter(s => s === RedisConnectionStatus.READY))
 * RedisConnectionStatus.RECONNECTING; // 'reconnecting'
 * ```
 * @since 0.1.0
 * @category redis
 */
export const RedisConnectionStatus = {
  READY: ConnectionStatus.CONNECTED,
  CONNECT: ConnectionStatus.CONNECTED,
  RECONNECTING: ConnectionStatus.RECONNECTING,
  DISCONNECTED: ConnectionStatus.DISCONNECTED,
  END: ConnectionStatus.CLOSED,
} as const;

/**
 * A value of {@link RedisConnectionStatus}.
 *
 * @example
 * ```ts
 * import { RedisConnectionStatus } from '@tributary/redis';
 * const isUp = (status: string): boolean => status === RedisConnectionStatus.READY;
 * ```
 * @since 0.1.0
 * @category redis
 */
export type RedisConnectionStatus = (typeof RedisConnectionStatus)[keyof typeof RedisConnectionStatus];
