import { DEFAULT_TIMEOUT } from '@tributary/messaging/transport';

/**
 * The defaults of `NatsStrategyOptions`.
 *
 * @example
 * ```ts
 * import { DEFAULT_NATS_OPTIONS } from '@tributary/nats';
 * DEFAULT_NATS_OPTIONS.host; // 'nats://127.0.0.1:4222'
 * DEFAULT_NATS_OPTIONS.ackWait; // 30000
 * ```
 * @since 0.2.0
 * @category nats
 */
export const DEFAULT_NATS_OPTIONS = {
  host: 'nats://127.0.0.1:4222',
  timeout: DEFAULT_TIMEOUT,
  expectAck: false,
  subscribe: [] as readonly string[],
  eventStream: 'TRIBUTARY_EVENTS',
  eventPrefix: 'event',
  ackWait: 30_000,
  pullExpires: 5_000,
  prefetch: 64,
  maxAckPending: 1_000,
  storage: 'file' as 'file' | 'memory',
  duplicateWindow: 120_000,
  reconnect: { initialDelay: 100, maxDelay: 2_000 },
} as const;
