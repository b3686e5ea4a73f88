/**
 * The metadata key under which a delivery machinery (such as `@tributary/messaging`)
 * attaches a {@link DeliveryTracker} to an incoming event. A symbol, so that it is never
 * serialized, yet copied by `{ ...event.metadata }`.
 *
 * @since 0.1.0
 * @category delivery
 */
export const DELIVERY_TRACKER: unique symbol = Symbol.for('@tributary/core/deliveryTracker') as any;

/**
 * How operators tell the delivery machinery what happens to an incoming event: that an
 * effect matched it (`matchEvent`), started work on it and finished it (`act`). A message is
 * acknowledged once every piece of work begun for it has ended; an `end(error)` makes it
 * retried or dead-lettered. Transport and listener authors implement it; effect authors
 * never see it (they see `signal`, through `act`'s second argument).
 *
 * @example
 * ```ts
 * import { DELIVERY_TRACKER, DeliveryTracker, Event } from '@tributary/core';
 * let open = 0;
 * const tracker: DeliveryTracker = { matched: () => {}, begin: () => { open++; }, end: () => { open--; } };
 * const event: Event = { type: 'Ping', metadata: { [DELIVERY_TRACKER]: tracker } };
 * ```
 * @since 0.1.0
 * @category delivery
 */
export interface DeliveryTracker {
  /** An effect matched the event. */
  matched(): void;
  /** Work for the event started (an `act` subscribed). */
  begin(): void;
  /** Work for the event ended; `error` when it failed and nothing handled the failure. */
  end(error?: unknown): void;
  /**
   * Fires when the machinery gives up on the event's work (a drain that timed out): the
   * message goes back to the broker, so the work should stop. `act` hands it to its callback.
   * @since 0.2.0
   */
  readonly signal?: AbortSignal;
}
