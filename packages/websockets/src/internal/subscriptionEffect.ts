import { act, encodeError, Event, matchEvent } from '@tributary/core';
import type { WsEffect } from '../effects/websocket.effects.interface';
import { SubscriptionError } from '../error/errors';
import { DEFAULT_SUBSCRIPTION_OPTIONS, SubscriptionEventType, SubscriptionOptions } from '../subscriptions/subscriptions';

const MAX_TYPE_LENGTH = 200;

/** `{ types: [...] }`, `[...]` or one string → the list of types, or a SubscriptionError. */
const typesOf = (payload: unknown): string[] => {
  const raw = Array.isArray(payload) ? payload : typeof payload === 'string' ? [payload] : (payload as { types?: unknown } | undefined)?.types;
  if (!Array.isArray(raw) || raw.length === 0 || raw.some(t => typeof t !== 'string' || t.length === 0 || t.length > MAX_TYPE_LENGTH)) {
    throw new SubscriptionError(`the payload must be { "types": ["OrderCreated", "payment.*"] } (non-empty strings of at most ${MAX_TYPE_LENGTH} characters)`);
  }
  return [...new Set(raw as string[])];
};

/** The built-in effect answering `subscribe` / `unsubscribe`. */
export const createSubscriptionEffect =
  (options: SubscriptionOptions): WsEffect =>
  (event$, ctx) => {
    const { allow, maxTypes = DEFAULT_SUBSCRIPTION_OPTIONS.maxTypes } = options;
    const client = ctx.client;
    return event$.pipe(
      matchEvent(SubscriptionEventType.SUBSCRIBE, SubscriptionEventType.UNSUBSCRIBE),
      act(
        async (event): Promise<Event> => {
          const types = typesOf(event.payload);
          if (event.type === SubscriptionEventType.UNSUBSCRIBE) {
            client.unsubscribe(types);
          } else {
            for (const type of types) {
              if (allow && !(await allow(type, client))) throw new SubscriptionError(`"${type}" is not allowed for this client`, [type]);
            }
            const added = types.filter(type => !client.subscriptions.includes(type));
            if (client.subscriptions.length + added.length > maxTypes) {
              throw new SubscriptionError(`a client may hold at most ${maxTypes} subscriptions (it has ${client.subscriptions.length})`, added);
            }
            client.subscribe(types);
          }
          return { type: SubscriptionEventType.SUBSCRIBED, payload: { types: client.subscriptions }, metadata: event.metadata };
        },
        (error, event) => ({ type: event.type, error: encodeError(error), metadata: event.metadata }),
      ),
    );
  };
