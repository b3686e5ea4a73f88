import type { TransportCapabilities } from '@tributary/testing/conformance';

/**
 * FIFO queues: a message group (`metadata.key`) goes to one consumer at a time, in order, so
 * per-key order holds across instances. Events without a key share one group: they stay in
 * order, and so are not spread over instances (instances share the work per key).
 */
export const FIFO_CAPABILITIES: Partial<TransportCapabilities> = { orderAcrossInstances: true, competingConsumers: false };

export const FIFO_REASONS: Partial<Record<keyof TransportCapabilities, string>> = {
  competingConsumers:
    'FIFO: events without a key share one message group, which SQS hands to one consumer at a time (in order); instances share the work per key, as the cross-instance key-order case shows',
};
