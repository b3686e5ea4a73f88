import { encodeError, Event } from '@tributary/core';
import { MalformedMessageError, MaxAttemptsExceededError } from '../errors/errors';
import type { DeadLetterInfo, TransportMessage, TransportMessageTransformer, TransportWire } from '../transport/transport.interface';
import { DecodeFailure, fromTransportMessage } from './codec';
import { oversize } from './messageSize';

/** A received message, decoded and checked: an event to dispatch, or why it is dead-lettered at once. */
export type Incoming =
  | { readonly ok: true; readonly event: Event }
  | { readonly ok: false; readonly error: Error; readonly deadLetter: DeadLetterInfo };

/** What the guard needs to know of the service. */
export interface IncomingRules {
  readonly channel: string;
  readonly wire: TransportWire;
  readonly transformer: TransportMessageTransformer;
  /** Past this attempt a message was delivered again and again without settling (manual mode: no limit). */
  readonly maxAttempts: number | undefined;
  /** The largest body in bytes (0 or absent: no limit). */
  readonly maxMessageSize?: number;
}

/**
 * Decodes a transport message and guards the delivery machine against it: a body over
 * `maxMessageSize` is `oversize` (a length check, before decoding); bytes that are no
 * event are `malformed`; a message delivered past `retry.maxAttempts` without ever being
 * settled (it crashes its consumers) is dead-lettered before any effect sees it again.
 */
export const decodeIncoming = (message: TransportMessage, rules: IncomingRules): Incoming => {
  const tooLarge = oversize(message.data, rules.maxMessageSize, rules.channel);
  if (tooLarge) return { ok: false, error: tooLarge, deadLetter: { reason: 'oversize', error: encodeError(tooLarge), attempts: message.attempt ?? 1 } };
  let event: Event;
  try {
    event = fromTransportMessage(message, rules.wire, rules.transformer);
  } catch (cause) {
    const reason = cause instanceof DecodeFailure ? cause.message : String((cause as Error)?.message ?? cause);
    const error = new MalformedMessageError(rules.channel, reason, cause);
    return { ok: false, error, deadLetter: { reason: 'malformed', error: encodeError(error), attempts: message.attempt ?? 1 } };
  }
  const attempts = event.metadata?.attempt ?? 1;
  if (rules.maxAttempts !== undefined && attempts > rules.maxAttempts) {
    const error = new MaxAttemptsExceededError(event.type, attempts, rules.maxAttempts);
    return { ok: false, error, deadLetter: { reason: 'failed', error: encodeError(error), attempts } };
  }
  return { ok: true, event };
};
