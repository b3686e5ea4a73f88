import type { DeadLetter, DeadLetterStore } from '../transport/DeadLetterStore';
import { matchTopic } from '../transport/matchTopic';
import { provideTransportLayer } from '../transport/provideTransportLayer';
import type { TransportProvider } from '../transport/provideTransportLayer';
import { Transport } from '../transport/Transport';
import type { TransportOptions } from '../transport/TransportOptionsMap';
import { RedriveFailedError, RedriveNotSupportedError } from './errors';

/**
 * Which dead letters a redrive takes: every field given must match. `type` takes event types
 * or patterns (`*` one word, `#` any words, as `subscribe`); `reason` takes reasons
 * (`failed`, `unhandled`, `malformed`, `rejected`, `timeout`, `unsupported-version`).
 *
 * @example
 * ```ts
 * import type { DeadLetterFilter } from '@tributary/messaging';
 * const filter: DeadLetterFilter = { type: ['Charge', 'payment.*'], reason: 'failed', where: l => (l.attempts ?? 0) >= 3 };
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export interface DeadLetterFilter {
  type?: string | readonly string[];
  reason?: string | readonly string[];
  where?: (letter: DeadLetter) => boolean;
}

/**
 * How far a redrive got, reported after each move and each page read.
 *
 * @example
 * ```ts
 * import type { RedriveProgress } from '@tributary/messaging';
 * const line = (p: RedriveProgress): string => `moving: ${p.moved} of ${p.matched} (${p.scanned} read)`;
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export interface RedriveProgress {
  /** Dead letters read so far (matching or not). */
  scanned: number;
  matched: number;
  moved: number;
}

/**
 * Options of {@link redriveDeadLetters}.
 *
 * @example
 * ```ts
 * import { RedriveOptions, Transport } from '@tributary/messaging';
 * const config: RedriveOptions<Transport.REDIS> = {
 *   transport: Transport.REDIS,
 *   options: { host: 'redis://127.0.0.1:6379', channel: 'orders', mode: 'streams' },
 *   filter: { reason: 'failed' },
 *   limit: 100,
 * };
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export interface RedriveOptions<T extends Transport | TransportProvider = Transport> {
  /** `Transport.X` or a provider object, as for `createMicroservice`. */
  transport: T;
  /** The service's options (its queue, channel or topic; host; `timeout` bounds connecting). */
  options: TransportOptions<T>;
  /** Which letters: a {@link DeadLetterFilter} or a predicate. Default: all. */
  filter?: DeadLetterFilter | ((letter: DeadLetter) => boolean);
  /** At most this many letters are matched (moved, or listed in a dry run). Default: all. */
  limit?: number;
  /** List what would move, move nothing. */
  dryRun?: boolean;
  /** Moves awaiting their broker confirmation at once (default 32). Order of sending is kept. */
  concurrency?: number;
  onProgress?: (progress: RedriveProgress) => void;
}

/**
 * What a redrive did: the letters matched (moved, unless a dry run), oldest first.
 *
 * @example
 * ```ts
 * import type { RedriveResult } from '@tributary/messaging';
 * const summary = (r: RedriveResult): string => `moved ${r.moved} of ${r.matched}`;
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export interface RedriveResult {
  moved: number;
  matched: number;
  letters: DeadLetter[];
}

const PAGE = 100;

const oneOf = (value: string | undefined, wanted: string | readonly string[] | undefined, match: (w: string, v: string) => boolean): boolean =>
  wanted === undefined || (value !== undefined && (typeof wanted === 'string' ? [wanted] : wanted).some(w => match(w, value)));

const toPredicate = (filter: RedriveOptions['filter']): ((letter: DeadLetter) => boolean) => {
  if (filter === undefined) return () => true;
  if (typeof filter === 'function') return filter;
  return letter =>
    oneOf(letter.type, filter.type, matchTopic) && oneOf(letter.reason, filter.reason, (w, v) => w === v) && (filter.where?.(letter) ?? true);
};

const openStore = (transport: Transport | TransportProvider, options: unknown): Promise<DeadLetterStore> => {
  const layer = provideTransportLayer(transport, options);
  const type = typeof transport === 'object' ? transport.type : transport;
  if (!layer.openDeadLetters) throw new RedriveNotSupportedError(Transport[type] ?? String(type));
  return layer.openDeadLetters();
};

/** Moves `letters`, `concurrency` at a time, starting them in order; stops starting at the first failure. */
const moveAll = async (store: DeadLetterStore, letters: readonly DeadLetter[], concurrency: number, moved: () => void): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < letters.length) {
      const letter = letters[next++];
      try {
        await store.move(letter);
        moved();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, letters.length)) }, worker));
  if (failure) throw failure.error;
};

/**
 * Lists a service's dead letters, or moves them back to its queue, channel or topic: each as
 * a fresh delivery (attempt 1) with its original headers, removed from the dead-letter
 * destination only once the broker confirmed the resend (a crash in between may duplicate
 * one, never lose one). Only letters that were dead letters when it started are read.
 * Throws `RedriveNotSupportedError` for a transport without a dead-letter store,
 * `BrokerUnavailableError` when the broker cannot be reached within `options.timeout`, and
 * `RedriveFailedError` (with `moved`) when a move fails part way.
 *
 * @example
 * ```ts
 * import { redriveDeadLetters, Transport } from '@tributary/messaging';
 * const options = { host: 'amqp://guest:guest@127.0.0.1:5672', queue: 'orders', timeout: 5000 };
 * const { matched } = await redriveDeadLetters({ transport: Transport.AMQP, options, filter: { type: 'OrderPlaced' }, dryRun: true });
 * if (matched > 0) await redriveDeadLetters({ transport: Transport.AMQP, options, filter: { type: 'OrderPlaced' } });
 * ```
 * @since 0.2.0
 * @category dead letters
 */
export const redriveDeadLetters = async <T extends Transport | TransportProvider>(config: RedriveOptions<T>): Promise<RedriveResult> => {
  const { dryRun = false, concurrency = 32, onProgress } = config;
  const limit = config.limit ?? Infinity;
  const matches = toPredicate(config.filter);
  const unfiltered = config.filter === undefined;
  const store = await openStore(config.transport, config.options);
  const progress: RedriveProgress = { scanned: 0, matched: 0, moved: 0 };
  const letters: DeadLetter[] = [];
  const report = (): void => onProgress?.({ ...progress });
  try {
    while (progress.matched < limit) {
      const page = await store.list({ limit: unfiltered ? Math.min(PAGE, limit - progress.matched) : PAGE });
      if (page.length === 0) break;
      progress.scanned += page.length;
      const picked: DeadLetter[] = [];
      for (const letter of page) {
        if (progress.matched >= limit) break;
        if (!matches(letter)) continue;
        picked.push(letter);
        progress.matched++;
      }
      letters.push(...picked);
      report();
      if (dryRun || picked.length === 0) continue;
      try {
        await moveAll(store, picked, concurrency, () => {
          progress.moved++;
          report();
        });
      } catch (error) {
        throw new RedriveFailedError(store.destination, progress.moved, progress.matched, error);
      }
    }
  } finally {
    await store.close().catch(() => undefined);
  }
  return { moved: progress.moved, matched: progress.matched, letters };
};
