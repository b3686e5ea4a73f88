import { CoreError } from '@tributary/core';

/**
 * The broker took a message but no queue received it: nothing consumes the target queue
 * and it was never declared. Start the target service (or its client) once so that its
 * queue exists, or check the queue name.
 *
 * @example
 * ```ts
 * import { AmqpUnroutableError } from '@tributary/amqp';
 * new AmqpUnroutableError('orderz').message; // 'No queue "orderz" exists on the broker: ...'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class AmqpUnroutableError extends CoreError {
  override readonly name = 'AmqpUnroutableError';
  constructor(readonly queue: string) {
    super(
      `No queue "${queue}" exists on the broker: the message was returned, not delivered. ` +
        'Start the service consuming it (or connect a client with `queue` set to it) so that the queue is declared, or fix the queue name.',
      { context: 'amqp.publish' },
    );
  }
}

/**
 * The connection to the broker dropped while a `send` waited for its reply: the reply can
 * no longer arrive. The request may or may not have been processed; send it again if it is
 * safe to repeat.
 *
 * @example
 * ```ts
 * import { AmqpConnectionLostError } from '@tributary/amqp';
 * new AmqpConnectionLostError('orders').name; // 'AmqpConnectionLostError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class AmqpConnectionLostError extends CoreError {
  override readonly name = 'AmqpConnectionLostError';
  constructor(
    readonly channel: string,
    cause?: unknown,
    /** The broker had confirmed the request (it reached the service queue): it may have been processed. Since 0.2.0. */
    readonly reachedBroker = true,
  ) {
    super(
      `The broker connection of "${channel}" was lost while a request waited for its reply; the reply cannot arrive any more. ` +
        (reachedBroker
          ? 'The broker had taken the request, so it may have been processed: send it again (same metadata.id) only if its handler is idempotent or deduplicates.'
          : 'The request was sent again once on the new connection and that was lost too: retry later.'),
      { context: 'amqp.send', cause },
    );
  }
}

/**
 * Declaring a queue, exchange or binding failed, usually because it exists with other
 * settings (`PRECONDITION_FAILED - inequivalent arg ...`).
 *
 * @example
 * ```ts
 * import { AmqpTopologyError } from '@tributary/amqp';
 * new AmqpTopologyError('queue "orders"', new Error('inequivalent arg')).message;
 * ```
 * @since 0.1.0
 * @category errors
 */
export class AmqpTopologyError extends CoreError {
  override readonly name = 'AmqpTopologyError';
  constructor(
    readonly subject: string,
    cause: unknown,
  ) {
    super(
      `Could not declare ${subject}: ${(cause as Error)?.message ?? String(cause)}. ` +
        'An existing queue or exchange with other settings cannot be redeclared: give every service and client of it the same ' +
        '`queueOptions`/`queueType`, or delete it (rabbitmqctl delete_queue <name>) and let Tributary declare it again.',
      { context: 'amqp.topology', cause },
    );
  }
}
