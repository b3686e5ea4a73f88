import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { DeliveryOptions } from '../transport/transportOptions';

/**
 * Where the dead letters of an MQTT service go: the topic `<channel>/dead-letter` at QoS 1,
 * kept on the broker by a persistent session (client id `<channel>-dead-letter`) subscribed
 * to it, so that they wait there for an operator even while nobody is connected.
 *
 * @example
 * ```ts
 * import type { MqttDeadLetterOptions } from '@tributary/mqtt';
 * const deadLetter: MqttDeadLetterOptions = { sessionExpiry: 7 * 24 * 3600 };
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export interface MqttDeadLetterOptions {
  /** The dead-letter topic (default `<channel>/dead-letter`). */
  topic?: string;
  /** Client id of the session that keeps them (default `<channel>-dead-letter`). */
  clientId?: string;
  /** How long the broker keeps that session (and the dead letters in it) unread, seconds. Default 4 294 967 295: never expires. */
  sessionExpiry?: number;
}

/**
 * Reconnection backoff: capped exponential with jitter, from `initialDelay` to `maxDelay` ms.
 *
 * @example
 * ```ts
 * import type { MqttReconnectOptions } from '@tributary/mqtt';
 * const reconnect: MqttReconnectOptions = { initialDelay: 250, maxDelay: 10_000 };
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export interface MqttReconnectOptions {
  initialDelay?: number;
  maxDelay?: number;
}

/**
 * Options of `Transport.MQTT` (package `@tributary/mqtt`, an MQTT 5 broker such as
 * Mosquitto 2): QoS 1 deliveries acknowledged (PUBACK) only once the effects settled them,
 * persistent sessions, shared subscriptions `$share/<channel>/<channel>` for competing
 * instances, `publish` on the topic tree `event/<type with dots as slashes>`.
 *
 * @example
 * ```ts
 * import { createMicroservice, Transport } from '@tributary/messaging';
 * import type { MqttStrategyOptions } from '@tributary/mqtt';
 *
 * const options: MqttStrategyOptions = {
 *   host: 'mqtt://127.0.0.1:1883',
 *   channel: 'payments',
 *   clientId: `payments-${process.env.HOSTNAME ?? 'local'}`, // stable per instance
 *   subscribe: ['OrderPlaced', 'refund.*'],
 *   retry: { maxAttempts: 3 },
 * };
 * // createMicroservice({ transport: Transport.MQTT, options, listener })
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export interface MqttStrategyOptions extends DeliveryOptions {
  /** Broker URL: `mqtt://host:1883`, `mqtts://` (TLS), `ws://`, `wss://`. Default `mqtt://127.0.0.1:1883`. */
  host?: string;
  /** The service's name: its topic (`emit`, `send`), its shared-subscription group, and the prefix of its dead-letter topic. No `/`, `+`, `#`. */
  channel: string;
  /**
   * QoS of the messages sent and of the subscriptions. `1` (default): at-least-once, PUBACK
   * after the effects settled. `0`: at-most-once, nothing is kept or redelivered.
   */
  qos?: 0 | 1;
  /**
   * This instance's MQTT client id. Give each instance a stable one (e.g. the pod name of a
   * StatefulSet): an instance that comes back with the same id resumes its session and gets the
   * messages the broker queued for it. Default `<channel>-<hostname>-<pid>-<n>` (new per process).
   * Used by services only: a `MessagingClient` always gets a generated id.
   */
  clientId?: string;
  /** How long the broker keeps this instance's session (subscriptions, queued and unacknowledged messages) while it is offline, seconds. Default 3600. */
  sessionExpiry?: number;
  /** The most unacknowledged QoS 1 messages the broker sends this instance at once (MQTT 5 Receive Maximum). Default 32. */
  receiveMaximum?: number;
  username?: string;
  password?: string;
  /**
   * TLS of an `mqtts://` or `wss://` connection: Node's `tls.connect` options (`ca` of a private
   * CA, `cert` and `key` for mutual TLS, `servername`, ...). Default: the system's CAs. A
   * certificate the client cannot verify fails the connection at once with a `BrokerTlsError`
   * that says what to fix. Given with an `mqtt://` or `ws://` host, it is an options error (the
   * URL decides TLS).
   *
   * @example
   * ```ts
   * import { readFileSync } from 'node:fs';
   * import type { MqttStrategyOptions } from '@tributary/mqtt';
   *
   * const options: MqttStrategyOptions = { host: 'mqtts://broker.internal:8883', channel: 'payments', tls: { ca: readFileSync('ca.pem') } };
   * ```
   * @since 0.2.0
   */
  tls?: TlsConnectionOptions;
  /** MQTT keep-alive, seconds (default 30). */
  keepalive?: number;
  reconnect?: MqttReconnectOptions;
  /** Dead letters: `false` drops them (reported on `error$`). Default: the topic `<channel>/dead-letter`, kept by a persistent session. */
  deadLetter?: false | MqttDeadLetterOptions;
  /** Passed to `mqtt.connect` as they are (TLS `ca`, `cert`, `key`, `rejectUnauthorized`, ...); the options above win. */
  mqttOptions?: Record<string, unknown>;
}
