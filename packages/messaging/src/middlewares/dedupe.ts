import { Event, getDeliveryTracker } from '@tributary/core';
import { Observable } from 'rxjs';
import type { MsgMiddlewareEffect } from '../effects/messaging.effects.interface';
import { asListenerDelivery } from '../server/microservice.interface';
import { createMemoryDedupeStore, DedupeStore } from './DedupeStore';

/**
 * Options of {@link dedupe}.
 * @since 0.1.0
 * @category idempotency
 */
export interface DedupeOptions {
  /** Default: an in-memory store. */
  store?: DedupeStore;
  /** How long an id is remembered, ms. Default 1 hour. */
  ttl?: number;
  /** The idempotency key. Default: `metadata.id`. */
  key?: (event: Event) => string | undefined;
}

/**
 * Middleware dropping events already seen (by `metadata.id`), so that redelivered or
 * re-sent messages are processed once. A dropped event is acknowledged. When processing
 * fails, the id is released, so that the retry runs. Requests (`send`, with a `replyTo`)
 * pass through: each gets its reply. Use it as a listener middleware: the id is released
 * when the message as a whole fails, so effects that succeeded run again on the retry.
 *
 * @example
 * ```ts
 * import { dedupe, messagingListener } from '@tributary/messaging';
 * export const listener = messagingListener({ middlewares: [dedupe()], effects: [] });
 * ```
 * @since 0.1.0
 * @category idempotency
 */
export const dedupe = (options: DedupeOptions = {}): MsgMiddlewareEffect => {
  const store = options.store ?? createMemoryDedupeStore();
  const ttl = options.ttl ?? 3_600_000;
  const keyOf = options.key ?? ((event: Event) => event.metadata?.id);
  return event$ =>
    new Observable<Event>(subscriber =>
      event$.subscribe({
        next: event => {
          const key = keyOf(event);
          // requests are answered, not deduplicated: a dropped one would leave its caller waiting
          if (key === undefined || event.metadata?.replyTo) return subscriber.next(event);
          const tracker = getDeliveryTracker(event);
          const pass = (first: boolean) => {
            if (!first) return tracker?.matched(); // a duplicate: handled, acknowledged
            asListenerDelivery(event)?.onSettle(outcome => {
              if (outcome !== 'ack') void Promise.resolve(store.release(key)).catch(() => undefined);
            });
            subscriber.next(event);
          };
          const claimed = store.claim(key, ttl);
          if (typeof claimed === 'boolean') return pass(claimed);
          tracker?.begin(); // hold the message while the store answers
          claimed.then(
            first => {
              pass(first);
              tracker?.end();
            },
            error => {
              tracker?.end(error);
              subscriber.next({ ...event, error }); // acts send it down their error path
            },
          );
        },
        error: error => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
};
