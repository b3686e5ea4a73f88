import { DEFAULT_RETRY_OPTIONS, DEFAULT_TIMEOUT } from '@tributary/messaging';
import type { RetryOptions, SqsReconnectOptions } from '@tributary/messaging';

export type { SqsStrategyOptions, SqsCredentials, SqsSnsOptions, SqsReconnectOptions } from '@tributary/messaging';

/**
 * The defaults of {@link SqsStrategyOptions} (`prefetch` defaults to `concurrency`,
 * `deadLetter` to `<channel>-dead-letter`, `region` to `AWS_REGION` or `us-east-1`).
 *
 * @example
 * ```ts
 * import { DEFAULT_SQS_OPTIONS } from '@tributary/sqs';
 * DEFAULT_SQS_OPTIONS.visibilityTimeout; // 30
 * DEFAULT_SQS_OPTIONS.waitTimeSeconds; // 20
 * ```
 * @since 0.2.0
 * @category sqs
 */
export const DEFAULT_SQS_OPTIONS = {
  region: 'us-east-1',
  fifo: false,
  visibilityTimeout: 30,
  waitTimeSeconds: 20,
  expectAck: false,
  timeout: DEFAULT_TIMEOUT,
  retry: DEFAULT_RETRY_OPTIONS as Required<RetryOptions>,
  subscribe: [] as readonly string[],
  snsTopic: 'tributary-events',
  reconnect: { initialDelay: 100, maxDelay: 5_000 } as Required<SqsReconnectOptions>,
  createQueues: true,
} as const;
