import type { DeliveryOptions, MicroserviceConnection, Transport, TransportProvider } from '@tributary/messaging';

/**
 * What a transport can do. Every capability defaults to `true`; `false` skips the cases that
 * need it, and the suite prints why (with the reason from `TransportConformanceSetup.reasons`).
 *
 * @example
 * ```ts
 * import type { TransportCapabilities } from '@tributary/testing/conformance';
 * const capabilities: Partial<TransportCapabilities> = { persistence: false, competingConsumers: false };
 * ```
 * @since 0.2.0
 * @category conformance
 */
export interface TransportCapabilities {
  /** Messages wait in the broker for a consumer (an emit before the service started is handled). */
  persistence: boolean;
  /** Instances of one service share its messages (each handled by one of them). */
  competingConsumers: boolean;
  /** `publish` fans out to subscribed services. */
  publish: boolean;
  /** `expectAck` with `ackEvent` / `nackEvent`. */
  manualAck: boolean;
  /** The setup gives a `fault` hook that can cut the connection to the broker. */
  faultInjection: boolean;
  /** Failed messages are redelivered after a growing delay. */
  retryBackoff: boolean;
  /** Events with one `metadata.key` keep their order across instances of a service (Kafka). */
  orderAcrossInstances: boolean;
  /** The layer opens its dead-letter destination (`openDeadLetters`): `redriveDeadLetters` lists and moves dead letters. @since 0.2.0 */
  redrive: boolean;
}

/**
 * A dead letter as the transport stored it, read back by `readDeadLetters`.
 *
 * @example
 * ```ts
 * import type { DeadLetterRecord } from '@tributary/testing/conformance';
 * const letter: DeadLetterRecord = { type: 'Charge', reason: 'failed', errorName: 'TypeError', errorMessage: 'card expired', attempts: 3, headers: { tenant: 'acme' } };
 * ```
 * @since 0.2.0
 * @category conformance
 */
export interface DeadLetterRecord {
  /** The event type, when the message had one. */
  type?: string;
  /** `failed`, `unhandled`, `malformed`, `rejected`, `timeout`, `unsupported-version`. */
  reason: string;
  errorName?: string;
  errorMessage?: string;
  attempts: number;
  /** The original user headers of the message (`metadata.headers`). */
  headers: Record<string, string>;
  /** The original body, as the broker kept it. */
  body?: Buffer;
}

/**
 * A connection the suite can cut: options that route a service or client through it, and
 * the switch.
 *
 * @example
 * ```ts
 * import { createTcpProxy } from '@tributary/testing/conformance';
 * import type { ConformanceFault } from '@tributary/testing/conformance';
 * const fault = async (): Promise<ConformanceFault> => {
 *   const proxy = await createTcpProxy({ port: 6379 });
 *   return { options: { host: `redis://127.0.0.1:${proxy.port}` }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
 * };
 * ```
 * @since 0.2.0
 * @category conformance
 */
export interface ConformanceFault {
  /** Overrides merged into service and client options (e.g. a `host` through a proxy). */
  options: Record<string, unknown>;
  /** Breaks every connection made with `options` and refuses new ones until `restore`. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How `describeTransportConformance` reaches a transport and its broker.
 *
 * @example
 * ```ts
 * import { describeTransportConformance } from '@tributary/testing/conformance';
 * import { LocalBroker, Transport } from '@tributary/messaging';
 *
 * const broker = new LocalBroker();
 * describeTransportConformance('local', {
 *   transport: Transport.LOCAL,
 *   serviceOptions: (channel, extra) => ({ channel, broker, ...extra }),
 *   capabilities: { faultInjection: false },
 *   reasons: { faultInjection: 'in-process: there is no connection to cut' },
 *   injectRaw: async (channel, bytes) => broker.enqueue(channel, { data: bytes }),
 *   readDeadLetters: async channel =>
 *     broker.getDeadLetters(channel).map(({ message, info }) => ({
 *       type: message.type, reason: info.reason, errorName: info.error?.name, errorMessage: info.error?.message,
 *       attempts: info.attempts, headers: message.headers ?? {},
 *     })),
 * });
 * ```
 * @since 0.2.0
 * @category conformance
 */
export interface TransportConformanceSetup {
  transport: Transport | TransportProvider;
  /**
   * Options of a service consuming `channel`. Merge `extra` in: the delivery options a case
   * sets (`timeout`, `retry`, `expectAck`, `subscribe`, `concurrency`).
   */
  serviceOptions: (channel: string, extra: DeliveryOptions) => Record<string, unknown>;
  /** Options of a client targeting `channel` (default: `serviceOptions`). */
  clientOptions?: (channel: string, extra: DeliveryOptions) => Record<string, unknown>;
  /** Every capability defaults to `true`. */
  capabilities?: Partial<TransportCapabilities>;
  /** Why a capability is off, printed in the title of the skipped cases. */
  reasons?: Partial<Record<keyof TransportCapabilities, string>>;
  /** Puts `bytes` on `channel` as a foreign producer would. */
  injectRaw: (channel: string, bytes: Buffer) => Promise<void>;
  /** The dead letters of `channel`, oldest first. */
  readDeadLetters: (channel: string) => Promise<DeadLetterRecord[]>;
  /** Routes a connection through something the suite can cut (needed for `faultInjection`). */
  fault?: () => Promise<ConformanceFault>;
  /** Deletes what a case made on the broker (queues, streams, topics) for these channels. */
  cleanup?: (channels: string[]) => Promise<void>;
  /**
   * A case closed a service instance for good and starts its replacement (a deploy of a fix):
   * do what an operator does then. MQTT retires the closed instance's session
   * (`retireMqttSession`), so that the broker stops giving it a share of the messages.
   * Default: nothing (a closed instance of a queue, stream or group takes no messages).
   * @since 0.2.0
   */
  replaced?: (closed: MicroserviceConnection, channel: string) => Promise<void>;
  /** Per-case timeout, ms (default 20 000). */
  timeoutMs?: number;
}
