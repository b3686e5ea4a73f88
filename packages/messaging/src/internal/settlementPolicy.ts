import { EncodedError, encodeError } from '@tributary/core';
import { UnhandledEventError } from '../errors/errors';
import { RetryOptions, retryDelay } from '../transport/retry';
import type { DeadLetterInfo, DeadLetterReason } from '../transport/transport.interface';

/** What to do with a received message once every effect is done with it. */
export type Settlement =
  | { readonly outcome: 'ack' }
  /** A request nobody handles: answer its caller with `error` at once, then acknowledge. */
  | { readonly outcome: 'answer'; readonly error: Error }
  | { readonly outcome: 'retry'; readonly delay: number; readonly attempt: number; readonly error: EncodedError }
  | { readonly outcome: 'dead-letter'; readonly info: DeadLetterInfo }
  /** Manual mode: `ackEvent` / `nackEvent` (or the timeout) settles it. */
  | { readonly outcome: 'wait' };

/** The facts the policy decides on. */
export interface SettlementFacts {
  readonly type: string;
  readonly channel: string;
  /** An effect matched the event. */
  readonly matched: boolean;
  /** Why the work failed; `undefined` when it succeeded. */
  readonly failure: unknown;
  /** A request (it has a `replyTo` and is no error event): its failures were answered. */
  readonly isRequest: boolean;
  readonly expectAck: boolean;
  readonly attempt: number;
  readonly retry: Required<RetryOptions>;
}

const ACK: Settlement = { outcome: 'ack' };
const WAIT: Settlement = { outcome: 'wait' };

/**
 * Failures that another attempt cannot fix, by error name (errors cross the wire and package
 * copies as `{ name, message }`, so `instanceof` cannot tell): they are dead-lettered at once.
 */
const NOT_RETRIED: Readonly<Record<string, DeadLetterReason>> = {
  EventError: 'failed',
  UnsupportedVersionError: 'unsupported-version',
};

/** The dead-letter reason of a failure that is never retried, if it is one. */
export const notRetriedReason = (failure: unknown): DeadLetterReason | undefined => {
  const name = failure && typeof failure === 'object' ? (failure as { name?: unknown }).name : undefined;
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(NOT_RETRIED, name) ? NOT_RETRIED[name] : undefined;
};

/**
 * The settlement policy, pure: ack what succeeded; answer an unhandled request, dead-letter
 * an unhandled emit; retry a failure with backoff until `retry.maxAttempts`, then dead-letter
 * it; dead-letter at once what no attempt can fix (validation, unsupported version).
 */
export const decideSettlement = (facts: SettlementFacts): Settlement => {
  if (!facts.matched) {
    const error = new UnhandledEventError(facts.type, facts.channel);
    if (facts.isRequest) return { outcome: 'answer', error };
    return { outcome: 'dead-letter', info: { reason: 'unhandled', error: encodeError(error), attempts: facts.attempt } };
  }
  if (facts.expectAck) return WAIT;
  if (facts.failure === undefined || facts.isRequest) return ACK;
  const error = encodeError(facts.failure);
  const reason = notRetriedReason(facts.failure);
  if (reason || facts.attempt >= facts.retry.maxAttempts) {
    return { outcome: 'dead-letter', info: { reason: reason ?? 'failed', error, attempts: facts.attempt } };
  }
  return { outcome: 'retry', delay: retryDelay(facts.retry, facts.attempt), attempt: facts.attempt + 1, error };
};
