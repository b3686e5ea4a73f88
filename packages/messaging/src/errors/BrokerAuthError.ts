import { CoreError } from '@tributary/core';

/**
 * The broker refused this client's credentials (a wrong user name, password or token, or a
 * user without access). Reconnecting does not heal it, so the connection fails at once,
 * saying which options to check; neither the credentials given nor the broker's are printed
 * (`host` has its password masked, `cause` is the broker's own refusal).
 *
 * @example
 * ```ts
 * import { BrokerAuthError } from '@tributary/messaging';
 *
 * const error = new BrokerAuthError('nats://app:***@127.0.0.1:4222', new Error('Authorization Violation'), 'the `user` and `pass` (or `token`) options');
 * error.name; // 'BrokerAuthError'
 * error.message; // 'The broker at nats://app:***@127.0.0.1:4222 refused the credentials (Authorization Violation): check the `user` and `pass` (or `token`) options against ...'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class BrokerAuthError extends CoreError {
  override readonly name = 'BrokerAuthError';
  /**
   * @param host the broker address, its password masked
   * @param cause the broker's refusal (its text must not hold a secret)
   * @param credentials where the credentials are given, for the message, e.g. "the `user` and `pass` options"
   */
  constructor(
    readonly host: string,
    cause: unknown,
    credentials: string,
  ) {
    super(
      `The broker at ${host} refused the credentials (${(cause as Error)?.message ?? String(cause)}): check ${credentials} ` +
        "against the broker's users and their permissions. Retrying does not help.",
      { context: 'messaging.transport', cause },
    );
  }
}
