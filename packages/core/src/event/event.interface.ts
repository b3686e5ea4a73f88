import type { DeliveryTracker } from './deliveryTracker';
import { DELIVERY_TRACKER } from './deliveryTracker';

/**
 * The name of an event, e.g. `'OrderCreated'`.
 *
 * @since 0.1.0
 * @category events
 */
export type EventType = string;

/**
 * Metadata travelling with an event. Everything but `raw` (and the delivery tracker) is
 * carried across the wire, end to end.
 *
 * @example
 * ```ts
 * import { EventMetadata } from '@tributary/core';
 * const metadata: EventMetadata = { correlationId: 'c-1', headers: { tenant: 'acme' } };
 * ```
 * @since 0.1.0
 * @category events
 */
export interface EventMetadata extends Record<string | symbol, unknown> {
  /** Unique per message; the idempotency key used by `dedupe`. */
  id?: string;
  /** Ties a request to its reply and every event it caused. */
  correlationId?: string;
  /** Where a reply goes (a channel, queue or reply address). */
  replyTo?: string;
  /** `id` of the event that caused this one. */
  causationId?: string;
  /** Milliseconds since the epoch, when the event was first sent. */
  timestamp?: number;
  /** 1-based delivery attempt, counted by the delivery machinery. */
  attempt?: number;
  /**
   * The ordering and partition key: events with the same key are handled one at a time, in
   * the order the broker delivered them (on Kafka it picks the partition).
   */
  key?: string;
  /** The version of the event's schema (`event(type, { version })`); absent means 1. */
  version?: number;
  /** String headers, propagated end to end (trace context, tenant, ...). */
  headers?: Record<string, string>;
  /** The transport-native message. Never serialized. */
  raw?: any;
  /** Internal link to the delivery this event belongs to. Never serialized. */
  [DELIVERY_TRACKER]?: DeliveryTracker;
}

/**
 * An event: a type, an optional payload, an optional error and metadata.
 *
 * @example
 * ```ts
 * import { Event } from '@tributary/core';
 * const created: Event<{ orderId: string }, never, 'OrderCreated'> = {
 *   type: 'OrderCreated',
 *   payload: { orderId: 'o-1' },
 * };
 * ```
 * @since 0.1.0
 * @category events
 */
export interface Event<P = unknown, E = any, T extends EventType = EventType> {
  type: T;
  payload?: P;
  error?: E;
  metadata?: EventMetadata;
}

/**
 * An event that carries no payload.
 * @since 0.1.0
 * @category events
 */
export interface EventWithoutPayload<T extends EventType = EventType> {
  type: T;
  metadata?: EventMetadata;
}

/**
 * An event whose payload is present.
 * @since 0.1.0
 * @category events
 */
export interface EventWithPayload<P = unknown, T extends EventType = EventType> {
  type: T;
  payload: P;
  metadata?: EventMetadata;
}

/**
 * An event after validation: its payload has the decoded type.
 * @since 0.1.0
 * @category events
 */
export type ValidatedEvent<P = unknown, T extends EventType = EventType> = EventWithPayload<P, T>;

/**
 * The union of the events made by a record of event creators.
 *
 * @example
 * ```ts
 * import { createEvent, EventsUnion } from '@tributary/core';
 * const OrderEvents = {
 *   created: createEvent('OrderCreated', (id: string) => ({ id })),
 *   cancelled: createEvent('OrderCancelled', (id: string) => ({ id })),
 * };
 * type OrderEvent = EventsUnion<typeof OrderEvents>;
 * const e: OrderEvent = OrderEvents.created('o-1');
 * ```
 * @since 0.1.0
 * @category events
 */
export type EventsUnion<A extends { [creator: string]: (...args: any[]) => any }> = ReturnType<A[keyof A]>;
