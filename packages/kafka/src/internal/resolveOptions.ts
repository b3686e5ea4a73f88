import { CoreError } from '@tributary/core';
import type { KafkaStartFrom, KafkaStrategyOptions } from '@tributary/messaging';
import { resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import { DEFAULT_KAFKA_OPTIONS } from '../KafkaStrategyOptions';

/** Options with every default filled, as the internals use them. */
export interface ResolvedKafkaOptions {
  readonly brokers: string[];
  readonly topic: string;
  readonly groupId: string;
  readonly clientId: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly startFrom?: KafkaStartFrom;
  readonly maxInFlightPerPartition: number;
  /** timeout, expectAck, retry, subscribe, concurrency. */
  readonly delivery: ResolvedDeliveryOptions;
  readonly timeout: number;
  readonly subscribe: readonly string[];
  readonly sessionTimeout: number;
  readonly commitInterval: number;
  readonly topicRefreshInterval: number;
  readonly idempotent: boolean;
  /** Connection options of every client (SASL, TLS, pass-through). */
  readonly connection: Record<string, unknown>;
  /** `kafka://broker,broker`, for messages and logs. */
  readonly address: string;
}

const invalid = (what: string): CoreError => new CoreError(`@tributary/kafka: ${what}`, { context: 'kafka.options' });

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw invalid(`option "${name}" must be a positive number, got ${value}.`);
  return value;
};

const validTopic = (name: string, topic: unknown): string => {
  if (typeof topic !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw invalid(`option "${name}" must be a Kafka topic name (1 to 249 letters, digits, ".", "_" or "-"), got ${JSON.stringify(topic)}.`);
  }
  return topic;
};

const validStartFrom = (value: KafkaStartFrom | undefined): KafkaStartFrom | undefined => {
  if (value === undefined || value === 'earliest' || value === 'latest') return value;
  if (value && typeof value === 'object' && Number.isFinite(value.timestamp)) return value;
  throw invalid(`option "startFrom" must be 'earliest', 'latest' or { timestamp: <ms since the epoch> }, got ${JSON.stringify(value)}.`);
};

/** Fills the defaults and checks what cannot work, with errors that say how to fix it. */
export const resolveKafkaOptions = (options: KafkaStrategyOptions): ResolvedKafkaOptions => {
  if (!options || !Array.isArray(options.brokers) || options.brokers.length === 0 || options.brokers.some(b => typeof b !== 'string' || !b)) {
    throw invalid('option "brokers" is required: the bootstrap brokers as "host:port" strings, e.g. { brokers: ["127.0.0.1:9092"], topic: "orders" }.');
  }
  const topic = validTopic('topic', options.topic);
  const d = DEFAULT_KAFKA_OPTIONS;
  const delivery = resolveDeliveryOptions(options, '@tributary/kafka');
  const connection: Record<string, unknown> = { ...options.clientOptions };
  if (options.sasl) connection.sasl = options.sasl;
  if (options.tls) connection.tls = options.tls === true ? {} : options.tls;
  return {
    brokers: [...options.brokers],
    topic,
    groupId: options.groupId ?? topic,
    clientId: options.clientId ?? `tributary-${topic}`,
    partitions: Math.floor(positive('partitions', options.partitions ?? d.partitions)),
    replicationFactor: Math.floor(positive('replicationFactor', options.replicationFactor ?? d.replicationFactor)),
    startFrom: validStartFrom(options.startFrom),
    maxInFlightPerPartition: Math.floor(positive('maxInFlightPerPartition', options.maxInFlightPerPartition ?? d.maxInFlightPerPartition)),
    delivery,
    timeout: delivery.timeout,
    subscribe: delivery.subscribe,
    sessionTimeout: positive('sessionTimeout', options.sessionTimeout ?? d.sessionTimeout),
    commitInterval: positive('commitInterval', options.commitInterval ?? d.commitInterval),
    topicRefreshInterval: positive('topicRefreshInterval', options.topicRefreshInterval ?? d.topicRefreshInterval),
    idempotent: options.idempotent ?? d.idempotent,
    connection,
    address: `kafka://${options.brokers.join(',')}`,
  };
};
