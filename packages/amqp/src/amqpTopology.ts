import type { AmqpStrategyOptions } from './AmqpStrategyOptions';
import { resolveAmqpOptions } from './internal/resolveOptions';
import { retryDelays, retryQueueName } from './internal/topology';
import { bindingStateQueue } from './internal/bindingState';

/**
 * What a service with these options declares on the broker (see {@link amqpTopology}).
 *
 * @example
 * ```ts
 * import { AmqpTopology, amqpTopology } from '@tributary/amqp';
 * const topology: AmqpTopology = amqpTopology({ host: 'amqp://127.0.0.1', queue: 'orders' });
 * const queues = [topology.queue, topology.deadLetter, ...topology.retryQueues].filter(Boolean);
 * ```
 * @since 0.1.0
 * @category amqp
 */
export interface AmqpTopology {
  /** The topic exchange `publish` goes through. */
  exchange: string;
  /** The service queue. */
  queue: string;
  /** The dead-letter queue, or `false`. */
  deadLetter: string | false;
  /** One queue per backoff delay: `<queue>.retry.<ms>` (`.quorum` appended under `queueType: 'quorum'`), dead-lettering back to `queue`. */
  retryQueues: string[];
  /** Binding patterns of `queue` on `exchange` (`subscribe`). */
  bindings: readonly string[];
  /**
   * Where a consuming service notes the bindings it made (`<queue>.bindings`), so that a later
   * start removes those `subscribe` no longer names (AMQP cannot list bindings). Since 0.2.0.
   */
  bindingNotes: string;
}

/**
 * Names the exchange, queues and bindings a service declares: for operations (policies,
 * monitoring, clean-up) and tests.
 *
 * @example
 * ```ts
 * import { amqpTopology } from '@tributary/amqp';
 * const topology = amqpTopology({ host: 'amqp://127.0.0.1', queue: 'orders', subscribe: ['payment.*'] });
 * topology.deadLetter;  // 'orders.dead-letter'
 * topology.retryQueues; // ['orders.retry.200', 'orders.retry.400', 'orders.retry.800', 'orders.retry.1600']
 * ```
 * @since 0.1.0
 * @category amqp
 */
export const amqpTopology = (options: AmqpStrategyOptions): AmqpTopology => {
  const resolved = resolveAmqpOptions(options);
  return {
    exchange: resolved.exchange,
    queue: resolved.queue,
    deadLetter: resolved.deadLetter,
    retryQueues: retryDelays(resolved).map(delay => retryQueueName(resolved.queue, delay, resolved.queueType)),
    bindings: resolved.subscribe,
    bindingNotes: bindingStateQueue(resolved.queue),
  };
};
