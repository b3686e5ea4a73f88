import type { WebSocketClientConnection } from '../server/WebSocketClientConnection';

/**
 * The events of the subscription protocol. A client sends
 * `{ "type": "subscribe", "payload": { "types": ["OrderCreated", "payment.*"] } }` (or
 * `unsubscribe`), and gets `{ "type": "subscribed", "payload": { "types": [...all of them] } }`
 * back. From then on, events published to the server (by `publish`, `publishToSubscribers`
 * or `bridgeToWebSockets`) reach it when their type matches one of its subscriptions
 * (AMQP-style wildcards: `*` one dot-separated word, `#` any number).
 *
 * @example
 * ```ts
 * import { SubscriptionEventType } from '@tributary/websockets';
 * // in the browser:
 * // socket.send(JSON.stringify({ type: SubscriptionEventType.SUBSCRIBE, payload: { types: ['OrderCreated'] } }));
 * SubscriptionEventType.SUBSCRIBED; // 'subscribed'
 * ```
 * @since 0.1.0
 * @category subscriptions
 */
export const SubscriptionEventType = {
  SUBSCRIBE: 'subscribe',
  UNSUBSCRIBE: 'unsubscribe',
  SUBSCRIBED: 'subscribed',
} as const;

/**
 * How clients may subscribe (the `subscriptions` option of `webSocketListener`; `false`
 * turns the protocol off).
 *
 * @example
 * ```ts
 * import { SubscriptionOptions } from '@tributary/websockets';
 * export const subscriptions: SubscriptionOptions = {
 *   maxTypes: 20,
 *   allow: (type, client) => !type.startsWith('admin.') || (client.auth as { admin?: boolean })?.admin === true,
 * };
 * ```
 * @since 0.1.0
 * @category subscriptions
 */
export interface SubscriptionOptions {
  /** Whether this client may subscribe to this type or pattern (default: anything). */
  allow?: (type: string, client: WebSocketClientConnection) => boolean | Promise<boolean>;
  /** Most subscriptions one client may hold (default 100). */
  maxTypes?: number;
}

/**
 * Defaults of {@link SubscriptionOptions}.
 * @example
 * ```ts
 * import { DEFAULT_SUBSCRIPTION_OPTIONS } from '@tributary/websockets';
 * DEFAULT_SUBSCRIPTION_OPTIONS.maxTypes; // 100
 * ```
 * @since 0.1.0
 * @category subscriptions
 */
export const DEFAULT_SUBSCRIPTION_OPTIONS = { maxTypes: 100 } as const satisfies SubscriptionOptions;
