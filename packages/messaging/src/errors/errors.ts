import { CoreError } from '@tributary/core';

/**
 * A `send` got no reply within `timeout` ms.
 *
 * @example
 * ```ts
 * import { TimeoutError } from '@tributary/messaging';
 * const error = new TimeoutError('GetOrder', 'orders', 5000);
 * error.name; // 'TimeoutError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends CoreError {
  override readonly name = 'TimeoutError';
  constructor(
    readonly eventType: string | undefined,
    readonly channel: string,
    readonly timeout: number,
  ) {
    super(
      `No reply to "${eventType ?? 'event'}" from "${channel}" within ${timeout} ms. ` +
        'Is a service consuming that channel and handling that type? Raise `timeout` in the client options if it is just slow.',
      { context: 'messaging.send' },
    );
  }
}

/**
 * The broker could not take a message within `timeout` (it is down or unreachable).
 *
 * @example
 * ```ts
 * import { BrokerUnavailableError } from '@tributary/messaging';
 * new BrokerUnavailableError('amqp://127.0.0.1:5672', 5000).name; // 'BrokerUnavailableError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class BrokerUnavailableError extends CoreError {
  override readonly name = 'BrokerUnavailableError';
  /**
   * `true` when the message was handed to the broker but no answer came (the connection
   * dropped or the wait ran out): it may have been stored. Re-sending it with the same
   * `metadata.id` is then safe where the transport deduplicates (Redis streams with
   * `idempotenceWindow`, NATS JetStream, Kafka, SQS FIFO); see docs/guarantees.md.
   * `false`: the message is known not stored. Since 0.2.0.
   */
  readonly maybeDelivered: boolean;
  constructor(
    readonly host: string,
    readonly timeout: number,
    cause?: unknown,
    options: { maybeDelivered?: boolean } = {},
  ) {
    super(
      options.maybeDelivered
        ? `The broker at ${host} did not confirm the message within ${timeout} ms (the connection dropped or hung after it was sent): ` +
            'it MAY have been stored. Re-send it with the same metadata.id: that is safe when the idempotent producer is on ' +
            '(e.g. Redis streams `idempotenceWindow`, the default), else the re-send may be a duplicate.'
        : `The broker at ${host} did not take the message within ${timeout} ms: it is down or unreachable. ` +
            'The message was not sent; retry later, or raise `timeout` to wait longer for reconnection.',
      { context: 'messaging.transport', cause },
    );
    this.maybeDelivered = options.maybeDelivered === true;
  }
}

/**
 * A message body is larger than `maxMessageSize`: rejected before it was sent (or, received,
 * dead-lettered with reason `oversize`).
 *
 * @example
 * ```ts
 * import { MessageTooLargeError } from '@tributary/messaging';
 * new MessageTooLargeError('orders', 2_000_000, 1_048_576).name; // 'MessageTooLargeError'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class MessageTooLargeError extends CoreError {
  override readonly name = 'MessageTooLargeError';
  constructor(
    readonly channel: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `A message for "${channel}" is ${size} bytes, over the limit of ${limit} bytes (\`maxMessageSize\`). ` +
        'Send a reference (an id or a URL to object storage) instead of the data, split it, or raise `maxMessageSize` ' +
        "on both sides (within the broker's own limit).",
      { context: 'messaging.limits' },
    );
  }
}

/**
 * No effect handles an event sent with `send`: the service replied at once with this.
 *
 * @example
 * ```ts
 * import { UnhandledEventError } from '@tributary/messaging';
 * new UnhandledEventError('GetInvoice', 'billing').message;
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UnhandledEventError extends CoreError {
  override readonly name = 'UnhandledEventError';
  constructor(
    readonly eventType: string,
    readonly channel: string,
  ) {
    super(
      `No effect on "${channel}" handles events of type "${eventType}". ` +
        `Add an effect with matchEvent('${eventType}') to that service's listener, or send the event to the service that handles it.`,
      { context: 'messaging.listener' },
    );
  }
}

/**
 * A message whose bytes are not an event (bad JSON, unknown envelope).
 *
 * @example
 * ```ts
 * import { MalformedMessageError } from '@tributary/messaging';
 * new MalformedMessageError('orders', 'Unexpected token').name; // 'MalformedMessageError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class MalformedMessageError extends CoreError {
  override readonly name = 'MalformedMessageError';
  constructor(
    readonly channel: string,
    reason: string,
    cause?: unknown,
  ) {
    super(
      `A message on "${channel}" is not an event (${reason}); it was dead-lettered. ` +
        'Producers must send JSON `{ "type": string, "payload"?: any }` (or use a matching msgTransformer).',
      { context: 'messaging.decode', cause },
    );
  }
}

/**
 * `Transport.X` was asked for but its package is not installed.
 *
 * @example
 * ```ts
 * import { TransportNotInstalledError } from '@tributary/messaging';
 * new TransportNotInstalledError('AMQP', '@tributary/amqp').message;
 * // 'Transport.AMQP needs @tributary/amqp: npm install @tributary/amqp'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TransportNotInstalledError extends CoreError {
  override readonly name = 'TransportNotInstalledError';
  constructor(transportName: string, packageName: string, cause?: unknown) {
    super(`Transport.${transportName} needs ${packageName}: npm install ${packageName}`, { context: 'messaging.transport', cause });
  }
}

/**
 * An error a remote service replied with, whose class is not known here; `name`, `message`
 * and `data` are the remote ones.
 *
 * @example
 * ```ts
 * import { RemoteError } from '@tributary/messaging';
 * const error = new RemoteError({ name: 'PaymentDeclined', message: 'Card expired' });
 * error.name; // 'PaymentDeclined'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class RemoteError extends CoreError {
  override readonly name: string;
  readonly data?: unknown;
  constructor(encoded: { name?: string; message?: string; [key: string]: unknown }) {
    super(encoded.message ?? 'Remote error', { context: 'messaging.reply' });
    this.name = encoded.name ?? 'RemoteError';
    for (const [key, value] of Object.entries(encoded)) {
      if (key !== 'name' && key !== 'message') (this as any)[key] = value;
    }
  }
}

/**
 * The connection was closed while this call was pending.
 *
 * @example
 * ```ts
 * import { ConnectionClosedError } from '@tributary/messaging';
 * new ConnectionClosedError('orders').name; // 'ConnectionClosedError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ConnectionClosedError extends CoreError {
  override readonly name = 'ConnectionClosedError';
  constructor(channel: string, when: 'pending' | 'closed' = 'pending') {
    super(
      when === 'closed'
        ? `This client of "${channel}" is closed: it takes no more calls. Create a new client, or close it only once you are done with it.`
        : `The connection to "${channel}" was closed before the call finished. Close clients only after their calls settle.`,
      { context: 'messaging.transport' },
    );
  }
}

/**
 * A message was delivered more than `retry.maxAttempts` times without ever being settled
 * (each delivery crashed or lost its consumer): it is dead-lettered before any effect sees it
 * again.
 *
 * @example
 * ```ts
 * import { MaxAttemptsExceededError } from '@tributary/messaging';
 * new MaxAttemptsExceededError('OrderPlaced', 6, 5).name; // 'MaxAttemptsExceededError'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class MaxAttemptsExceededError extends CoreError {
  override readonly name = 'MaxAttemptsExceededError';
  constructor(
    readonly eventType: string,
    readonly attempts: number,
    readonly maxAttempts: number,
  ) {
    super(
      `"${eventType}" was delivered ${attempts} times (retry.maxAttempts is ${maxAttempts}) without being settled: its consumers probably crashed on it. ` +
        'Find the cause in the dead letter, fix it, then redrive the message.',
      { context: 'messaging.delivery' },
    );
  }
}

/**
 * A `send` to an in-process channel that no service consumes: nobody could ever answer it.
 *
 * @example
 * ```ts
 * import { NoConsumerError } from '@tributary/messaging';
 * new NoConsumerError('prices').message;
 * ```
 * @since 0.2.0
 * @category errors
 */
export class NoConsumerError extends CoreError {
  override readonly name = 'NoConsumerError';
  constructor(readonly channel: string) {
    super(
      `No service consumes the in-process channel "${channel}", so nothing can answer this call. ` +
        `Start the service first (createMicroservice with options { channel: '${channel}' }, on the same LocalBroker), or check the channel name.`,
      { context: 'messaging.local' },
    );
  }
}
