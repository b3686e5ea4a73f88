import { CoreError } from '@tributary/core';

/**
 * A queue the transport needs does not exist, and it may not create it (`createQueues: false`,
 * or the target of an `emit`/`send` that no service or client has created yet).
 *
 * @example
 * ```ts
 * import { SqsQueueNotFoundError } from '@tributary/sqs';
 * new SqsQueueNotFoundError('orderz').message; // 'No SQS queue "orderz" exists: ...'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class SqsQueueNotFoundError extends CoreError {
  override readonly name = 'SqsQueueNotFoundError';
  constructor(
    readonly queue: string,
    cause?: unknown,
  ) {
    super(
      `No SQS queue "${queue}" exists: the message was not sent. Start the service that consumes it (or connect a client with ` +
        '`channel` set to it) so that the queue is created, or create it yourself, or fix the name (FIFO queues end in ".fifo": set `fifo` alike on every side).',
      { context: 'sqs.queue', cause },
    );
  }
}

/**
 * `publish` or `subscribe` was used without SNS: SQS alone has no fan-out.
 *
 * @example
 * ```ts
 * import { SqsPublishNotConfiguredError } from '@tributary/sqs';
 * new SqsPublishNotConfiguredError('orders').name; // 'SqsPublishNotConfiguredError'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class SqsPublishNotConfiguredError extends CoreError {
  override readonly name = 'SqsPublishNotConfiguredError';
  constructor(readonly channel: string) {
    super(
      `"${channel}" uses publish/subscribe, which SQS does through SNS: set \`sns: true\` (AWS) or \`sns: { host: 'http://127.0.0.1:4566' }\` ` +
        '(an SNS-compatible server) in the options of every publisher and subscriber.',
      { context: 'sqs.publish' },
    );
  }
}
