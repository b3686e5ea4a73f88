import { CoreError } from '@tributary/core';

/**
 * The transport has no dead-letter store (`TransportLayer.openDeadLetters`), so its dead
 * letters cannot be listed or redriven by Tributary. Use the broker's own tools, or a
 * transport version that supports redrive.
 *
 * @example
 * ```ts
 * import { RedriveNotSupportedError } from '@tributary/messaging';
 * new RedriveNotSupportedError('KAFKA').message;
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export class RedriveNotSupportedError extends CoreError {
  override readonly name = 'RedriveNotSupportedError';
  constructor(readonly transport: string) {
    super(
      `Transport ${transport} cannot list or redrive dead letters: its package does not provide \`openDeadLetters\`. ` +
        "Update the transport package, or use the broker's own tools.",
      { context: 'messaging.redrive' },
    );
  }
}

/**
 * A redrive stopped part way: `moved` letters were moved before `cause` happened; the
 * others are still in the dead-letter destination (none is lost). Fix the cause (is the
 * broker up? does the service's queue exist?) and run the redrive again.
 *
 * @example
 * ```ts
 * import { RedriveFailedError } from '@tributary/messaging';
 * new RedriveFailedError('orders.dead-letter', 3, 10, new Error('channel closed')).moved; // 3
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export class RedriveFailedError extends CoreError {
  override readonly name = 'RedriveFailedError';
  constructor(
    readonly destination: string,
    readonly moved: number,
    readonly matched: number,
    cause: unknown,
  ) {
    super(
      `Redrive from ${destination} stopped after ${moved} of ${matched} dead letters: ${(cause as Error)?.message ?? String(cause)}. ` +
        'The others are still dead letters (none was lost); fix the cause and run the redrive again.',
      { context: 'messaging.redrive', cause },
    );
  }
}

/**
 * The dead-letter destination of the service does not exist on the broker: no service with
 * that queue, channel or topic has run there (or the name is misspelt). Check the name; it is
 * the service's own queue, not the dead-letter queue's.
 *
 * @example
 * ```ts
 * import { DeadLetterDestinationNotFoundError } from '@tributary/messaging';
 * new DeadLetterDestinationNotFoundError('orderz.dead-letter', 'amqp://127.0.0.1:5672').name;
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export class DeadLetterDestinationNotFoundError extends CoreError {
  override readonly name = 'DeadLetterDestinationNotFoundError';
  constructor(
    readonly destination: string,
    readonly host: string,
  ) {
    super(
      `No dead-letter destination "${destination}" exists at ${host}: no service with that queue or channel has run there. ` +
        "Check the service's queue or channel name (the service's own, not the dead-letter queue's).",
      { context: 'messaging.redrive' },
    );
  }
}
