import { CoreError } from '@tributary/core';

/**
 * The connection to the broker dropped while a `send` waited for its reply (the reply can no
 * longer arrive), or before the broker confirmed a message. A request may or may not have
 * been processed: send it again if it is safe to repeat.
 *
 * @example
 * ```ts
 * import { Amqp10ConnectionLostError } from '@tributary/amqp10';
 * new Amqp10ConnectionLostError('orders').name; // 'Amqp10ConnectionLostError'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class Amqp10ConnectionLostError extends CoreError {
  override readonly name = 'Amqp10ConnectionLostError';
  constructor(
    readonly channel: string,
    cause?: unknown,
  ) {
    super(
      `The AMQP 1.0 connection of "${channel}" was lost before the broker answered; the answer cannot arrive any more. ` +
        'The request may or may not have been processed: send it again if it is idempotent.',
      { context: 'amqp10.connection', cause },
    );
  }
}

/**
 * The broker refused a message (a `rejected`, `released` or `modified` outcome instead of
 * `accepted`): the address does not exist and may not be created (`auto-create-addresses`
 * off), it is full (`address-full-policy: FAIL`), or the user may not send to it. The broker's
 * reason is in the message.
 *
 * @example
 * ```ts
 * import { Amqp10SendError } from '@tributary/amqp10';
 * new Amqp10SendError('orders', 'rejected', 'AMQ229017: Queue orders does not exist').address; // 'orders'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class Amqp10SendError extends CoreError {
  override readonly name = 'Amqp10SendError';
  constructor(
    readonly address: string,
    readonly outcome: string,
    reason?: string,
  ) {
    super(
      `The broker did not accept a message for "${address}" (${outcome}${reason ? `: ${reason}` : ''}). ` +
        'Check that the address exists or may be auto-created (Artemis address-settings auto-create-addresses/queues), that it is not full, and that the user may send to it.',
      { context: 'amqp10.send' },
    );
  }
}
