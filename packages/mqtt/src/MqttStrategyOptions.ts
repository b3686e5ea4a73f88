import { DEFAULT_RETRY_OPTIONS, DEFAULT_TIMEOUT } from '@tributary/messaging/transport';
import type { RetryOptions } from '@tributary/messaging/transport';

export type { MqttStrategyOptions, MqttDeadLetterOptions, MqttReconnectOptions } from '@tributary/messaging';

/** MQTT 5's "never expires" session expiry interval. */
const NEVER = 0xffffffff;

/**
 * The defaults of `MqttStrategyOptions` (`clientId` defaults to
 * `<channel>-<hostname>-<pid>-<n>`, the dead-letter topic to `<channel>/dead-letter`).
 *
 * @example
 * ```ts
 * import { DEFAULT_MQTT_OPTIONS } from '@tributary/mqtt';
 * DEFAULT_MQTT_OPTIONS.host; // 'mqtt://127.0.0.1:1883'
 * DEFAULT_MQTT_OPTIONS.qos; // 1
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export const DEFAULT_MQTT_OPTIONS = {
  host: 'mqtt://127.0.0.1:1883',
  qos: 1 as 0 | 1,
  sessionExpiry: 3600,
  receiveMaximum: 32,
  keepalive: 30,
  expectAck: false,
  timeout: DEFAULT_TIMEOUT,
  retry: DEFAULT_RETRY_OPTIONS as Required<RetryOptions>,
  subscribe: [] as readonly string[],
  reconnect: { initialDelay: 100, maxDelay: 5_000 },
  deadLetterSessionExpiry: NEVER,
} as const;
