import { DEFAULT_TIMEOUT } from '@tributary/messaging';

export type { KafkaStrategyOptions, KafkaStartFrom, KafkaSaslOptions } from '@tributary/messaging';

/**
 * The defaults of `KafkaStrategyOptions` (`groupId` defaults to `topic`, `clientId` to
 * `tributary-<topic>`; `startFrom` is `'earliest'` for the service topic and `'latest'` for
 * publications).
 *
 * @example
 * ```ts
 * import { DEFAULT_KAFKA_OPTIONS } from '@tributary/kafka';
 * DEFAULT_KAFKA_OPTIONS.partitions; // 3
 * DEFAULT_KAFKA_OPTIONS.maxInFlightPerPartition; // 64
 * ```
 * @since 0.2.0
 * @category kafka
 */
export const DEFAULT_KAFKA_OPTIONS = {
  partitions: 3,
  replicationFactor: 1,
  maxInFlightPerPartition: 64,
  timeout: DEFAULT_TIMEOUT,
  sessionTimeout: 10_000,
  commitInterval: 200,
  topicRefreshInterval: 5_000,
  idempotent: true,
} as const;
