import type { Event } from '@tributary/core';

/**
 * Events an operator already delivered (`broadcast`, `publishToSubscribers`): they still flow
 * down the effect, but the listener does not send them to the sender a second time.
 */
const delivered = new WeakSet<object>();

export const markDelivered = <T extends Event>(event: T): T => {
  if (event && typeof event === 'object') delivered.add(event);
  return event;
};

export const wasDelivered = (event: Event): boolean => delivered.has(event);
