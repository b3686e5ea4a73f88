import type { DeadLetterReason } from './transport.interface';

/**
 * One dead letter as an operator sees it: why it failed, how often, since when, and the
 * original message. Read from a {@link DeadLetterStore}.
 *
 * @example
 * ```ts
 * import type { DeadLetter } from '@tributary/messaging';
 * const line = (letter: DeadLetter): string => `${letter.id} ${letter.type} ${letter.reason}: ${letter.errorMessage ?? ''}`;
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export interface DeadLetter {
  /** Its id in the dead-letter destination (Redis: the entry id; AMQP: the message id; local: a sequence number). */
  readonly id: string;
  /** `metadata.id` of the original event, when it had one. */
  readonly messageId?: string;
  /** The event type, when known. */
  readonly type?: string;
  /** Why it was dead-lettered (a {@link DeadLetterReason}; other text from foreign producers). */
  readonly reason?: DeadLetterReason | (string & {});
  readonly errorName?: string;
  readonly errorMessage?: string;
  /** Deliveries it had before it was dead-lettered. */
  readonly attempts?: number;
  /** The original user headers, as a redrive sends them again (no dead-letter headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** When it was dead-lettered, ms since the epoch (undefined when the transport did not record it). */
  readonly deadLetteredAt?: number;
  /** The queue, stream or channel it was read from before it failed. */
  readonly source?: string;
  /** The original message: its bytes on a broker, the event object in process. */
  readonly data: unknown;
}

/**
 * The dead letters of one service, as its transport stores them: a capability a transport
 * layer offers through `TransportLayer.openDeadLetters()` (see docs/dead-letters.md,
 * "For transport authors").
 *
 * The contract:
 * - `list` is a cursor: each call returns the next dead letters, oldest first, at most
 *   `limit`, and `[]` once done. It never returns a letter that arrived after the store was
 *   opened (a redrive whose messages fail again cannot loop). Listed letters stay in the
 *   destination; a transport may hold them (AMQP: unacknowledged) until `move` or `close`.
 * - `move(letter)` sends a letter returned by `list` to the service's own queue, stream,
 *   channel or topic as a fresh delivery (attempt 1) with its original headers and
 *   properties (the dead-letter headers removed), waits until the broker confirmed it, and
 *   only then removes it from the dead-letter destination. It rejects (and keeps the
 *   letter) when the resend was not confirmed. A crash between the two steps may leave the
 *   letter in both places (a duplicate), never in neither.
 * - `close` releases what was listed and not moved, unchanged, and closes connections.
 *
 * @example
 * ```ts
 * import type { DeadLetterStore } from '@tributary/messaging/transport';
 * const redriveAll = async (store: DeadLetterStore): Promise<number> => {
 *   let moved = 0;
 *   for (let page = await store.list({ limit: 100 }); page.length; page = await store.list({ limit: 100 })) {
 *     for (const letter of page) {
 *       await store.move(letter);
 *       moved++;
 *     }
 *   }
 *   await store.close();
 *   return moved;
 * };
 * ```
 * @since 0.2.0
 * @category transport SPI
 */
export interface DeadLetterStore {
  /** Where the dead letters are (for messages): `orders.dead-letter`, `orders:dead-letter`, ... */
  readonly destination: string;
  /** Where `move` sends them: the service's queue, stream, channel or topic. */
  readonly target: string;
  /** The next dead letters, oldest first, at most `limit`; `[]` when there are no more. */
  list(options: { limit: number }): Promise<DeadLetter[]>;
  /** Resends one listed letter (attempt 1, original headers), confirmed, then removes it. */
  move(letter: DeadLetter): Promise<void>;
  /** Releases the letters listed and not moved; closes the store's connections. */
  close(): Promise<void>;
}

/**
 * The headers (and Redis entry fields) that say why a message was dead-lettered, plus the
 * delivery count: a redrive removes them so that the message starts afresh.
 *
 * @example
 * ```ts
 * import { DEAD_LETTER_HEADERS } from '@tributary/messaging/transport';
 * DEAD_LETTER_HEADERS.includes('x-error-message'); // true
 * ```
 * @since 0.2.0
 * @category transport SPI
 */
export const DEAD_LETTER_HEADERS: readonly string[] = [
  'x-error-name',
  'x-error-message',
  'x-attempts',
  'x-dead-letter-reason',
  'x-dead-lettered-at',
  'x-original-queue',
  'x-original-topic',
  'x-original-partition',
  'x-original-offset',
  'x-attempt',
];

/**
 * A copy of `headers` without the {@link DEAD_LETTER_HEADERS}: what a redrive sends.
 *
 * @example
 * ```ts
 * import { withoutDeadLetterHeaders } from '@tributary/messaging/transport';
 * withoutDeadLetterHeaders({ tenant: 'a', 'x-attempts': '3' }); // { tenant: 'a' }
 * ```
 * @since 0.2.0
 * @category transport SPI
 */
export const withoutDeadLetterHeaders = <V>(headers: Readonly<Record<string, V>> | undefined): Record<string, V> => {
  const out: Record<string, V> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) if (!DEAD_LETTER_HEADERS.includes(name.toLowerCase())) out[name] = value;
  return out;
};
