import { ConnectionStatus } from '@tributary/messaging';

/**
 * The states an AMQP connection reports on `status$`: the shared `ConnectionStatus` values
 * (`connected`, `disconnected`, `reconnecting`, `closed`), plus Marble.js v4's member names
 * as aliases so that code comparing against them keeps compiling and matching. Channels
 * are internal here, so `CHANNEL_CONNECTED` / `CHANNEL_CONNECTION_LOST` mean the connection.
 *
 * @example
 * ```ts
 * import { filter } from 'rxjs';
 * import { AmqpConnectionStatus } from '@tributary/amqp';
 * // connection.status$.pipe(filter(s => s === AmqpConnectionStatus.CONNECTION_LOST))
 * AmqpConnectionStatus.CONNECTION_LOST; // 'disconnected'
 * ```
 * @since 0.1.0
 * @category amqp
 */
export const AmqpConnectionStatus = {
  CONNECTED: ConnectionStatus.CONNECTED,
  DISCONNECTED: ConnectionStatus.DISCONNECTED,
  RECONNECTING: ConnectionStatus.RECONNECTING,
  CLOSED: ConnectionStatus.CLOSED,
  /** Marble.js v4 name of `DISCONNECTED`. */
  CONNECTION_LOST: ConnectionStatus.DISCONNECTED,
  /** Marble.js v4 name; channels are managed inside, so this is `CONNECTED`. */
  CHANNEL_CONNECTED: ConnectionStatus.CONNECTED,
  /** Marble.js v4 name; channels are managed inside, so this is `DISCONNECTED`. */
  CHANNEL_CONNECTION_LOST: ConnectionStatus.DISCONNECTED,
} as const;

/**
 * One of the {@link AmqpConnectionStatus} values (the same strings as `ConnectionStatus`).
 *
 * @example
 * ```ts
 * import { AmqpConnectionStatus } from '@tributary/amqp';
 * const isUp = (status: AmqpConnectionStatus): boolean => status === AmqpConnectionStatus.CONNECTED;
 * ```
 * @since 0.1.0
 * @category amqp
 */
export type AmqpConnectionStatus = ConnectionStatus;
