import type { EventMetadata } from './event.interface';

/**
 * A function creating events of one type, with that type readable as `.type`.
 * @since 0.1.0
 * @category events
 */
export type EventCreator<T extends string = string, Payload = unknown, Args extends any[] = any[]> = {
  readonly type: T;
} & ((...args: Args) => { type: T; payload: Payload; metadata?: EventMetadata });

/**
 * Legacy event creator (Marble.js v2/v3 style): `createEvent(type, payloadCreator?)`.
 * Prefer {@link event}, which also validates; both work with `matchEvent`.
 *
 * @example
 * ```ts
 * import { createEvent } from '@tributary/core';
 * const OrderShipped = createEvent('OrderShipped', (orderId: string) => ({ orderId }));
 * OrderShipped('o-1'); // { type: 'OrderShipped', payload: { orderId: 'o-1' } }
 * OrderShipped.type;   // 'OrderShipped'
 * ```
 * @since 0.1.0
 * @category events
 */
export function createEvent<T extends string>(type: T): EventCreator<T, undefined, []>;
export function createEvent<T extends string, Args extends any[], Payload>(
  type: T,
  creator: (...args: Args) => Payload,
): EventCreator<T, Payload, Args>;
export function createEvent(type: string, creator?: (...args: any[]) => unknown): EventCreator {
  const create = (...args: any[]) => ({ type, payload: creator ? creator(...args) : undefined });
  return Object.assign(create, { type }) as EventCreator;
}
