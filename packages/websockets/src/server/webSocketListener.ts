import {
  createEffectContext,
  createListener,
  createLogger,
  DELIVERY_TRACKER,
  Event,
  Logger,
  LoggerLevel,
  LoggerTag,
  LoggerToken,
  runEffects,
} from '@tributary/core';
import { identity, Subscription } from 'rxjs';
import type { WsEffect, WsErrorEffect, WsMiddlewareEffect, WsOutputEffect } from '../effects/websocket.effects.interface';
import { defaultError$ } from '../error/defaultError';
import { UnknownEventError, WebSocketConnectionError } from '../error/errors';
import { wasDelivered } from '../internal/delivered';
import { IncomingTracker } from '../internal/IncomingTracker';
import { optional } from '../internal/optional';
import { createSubscriptionEffect } from '../internal/subscriptionEffect';
import { decodeIncoming, isEvent } from '../internal/wire';
import type { SubscriptionOptions } from '../subscriptions/subscriptions';
import { EventTransformer, jsonTransformer } from '../transformer/EventTransformer';
import type { WebSocketClientConnection } from './WebSocketClientConnection';

/**
 * What a WebSocket listener runs for each client.
 * @example
 * ```ts
 * import { WebSocketListenerConfig } from '@tributary/websockets';
 * export const config: WebSocketListenerConfig = { effects: [], subscriptions: { maxTypes: 10 } };
 * ```
 * @since 0.1.0
 * @category listener
 */
export interface WebSocketListenerConfig {
  effects?: WsEffect<any, any>[];
  middlewares?: WsMiddlewareEffect<any, any>[];
  /** Turns errors into events for the client (default {@link defaultError$}). */
  error$?: WsErrorEffect;
  /** Sees every event on its way to the client. */
  output$?: WsOutputEffect;
  /** Messages ↔ events (JSON by default). */
  eventTransformer?: EventTransformer<any>;
  /** The `subscribe` / `unsubscribe` protocol: its options, or `false` to turn it off. */
  subscriptions?: SubscriptionOptions | false;
}

/**
 * A listener bound to its context: runs the effects of one client connection.
 * @example
 * ```ts
 * import { contextFactory } from '@tributary/core';
 * import { webSocketListener, WebSocketListener } from '@tributary/websockets';
 * const handle: WebSocketListener = webSocketListener()(await contextFactory());
 * handle.eventTransformer.encode({ type: 'Ping' }); // '{"type":"Ping"}'
 * ```
 * @since 0.1.0
 * @category listener
 */
export interface WebSocketListener {
  (client: WebSocketClientConnection): void;
  eventTransformer: EventTransformer<any>;
}

/**
 * Creates the listener of a WebSocket server. For each client: its messages are decoded into
 * events (`{ type, payload }` JSON), run through the middlewares and the effects (each
 * isolated: a failing effect is reported and restarted, the connection and the other
 * clients never notice), and what the effects emit goes back to that client through
 * `output$`. Bad JSON and events no effect handles come back as error events.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { map } from 'rxjs';
 * import { broadcast, webSocketListener, WsEffect } from '@tributary/websockets';
 *
 * const echo$: WsEffect = event$ =>
 *   event$.pipe(matchEvent('Echo'), map(e => ({ type: 'Echo', payload: e.payload, metadata: e.metadata })));
 * const chat$: WsEffect = (event$, ctx) =>
 *   event$.pipe(matchEvent('Chat'), broadcast(ctx.client, e => ({ type: 'Chat', payload: e.payload })));
 *
 * export const listener = webSocketListener({ effects: [echo$, chat$] });
 * ```
 * @since 0.1.0
 * @category listener
 */
export const webSocketListener = createListener<WebSocketListenerConfig, WebSocketListener>(config => ask => {
  const {
    effects = [],
    middlewares = [],
    error$ = defaultError$,
    output$ = identity as unknown as WsOutputEffect,
    eventTransformer = jsonTransformer,
    subscriptions = {},
  } = config ?? {};
  const logger: Logger = optional(ask, LoggerToken) ?? createLogger();
  const log = (level: LoggerLevel, message: string) => logger({ tag: LoggerTag.WEBSOCKETS, type: 'ServerListener', message, level })();
  const allEffects = subscriptions === false ? effects : [createSubscriptionEffect(subscriptions), ...effects];

  const handle = (client: WebSocketClientConnection): void => {
    const connection = new Subscription();
    let current: Event | undefined;

    const report = (error: Error) => {
      if (error instanceof WebSocketConnectionError) client.close(error.status, error.message);
      running.reportError(error);
    };
    const send = (event: unknown) => {
      if (!isEvent(event)) return log(LoggerLevel.WARN, `[${client.id}] an effect emitted something that is not an event: not sent`);
      if (wasDelivered(event)) return;
      try {
        client.sendEvent(event);
      } catch (error) {
        // the transformer could not encode it (a cycle, a BigInt...): say so, keep the connection
        log(LoggerLevel.ERROR, `[${client.id}] "${event.type}" could not be encoded: ${(error as Error)?.message}`);
        if (!event.error) running.reportError(Object.assign(new Error(`The server could not encode "${event.type}"`), { name: 'EncodeError' }));
      }
    };
    const running = runEffects({
      ctx: createEffectContext({ ask, client }),
      middlewares: middlewares as WsMiddlewareEffect[],
      effects: allEffects,
      output$,
      error$,
      send,
      onEffectError: (error, name, stopped) => {
        // attribute the failure to the event being dispatched, for the error event's correlation
        if (current && !(error as { event?: Event }).event) Object.defineProperty(error, 'event', { value: current, enumerable: false });
        log(LoggerLevel.ERROR, `[${client.id}] ${name} failed: ${error.name}: ${error.message}${stopped ? ' (too many failures: stopped)' : ''}`);
        if (error instanceof WebSocketConnectionError) client.close(error.status, error.message);
      },
    });
    connection.add(() => running.close());

    connection.add(
      client.message$.subscribe(data => {
        let event: Event;
        try {
          event = decodeIncoming(eventTransformer, data, client.id);
        } catch (error) {
          return report(error as Error);
        }
        const tracker = new IncomingTracker(() => report(new UnknownEventError(event)));
        event.metadata![DELIVERY_TRACKER] = tracker;
        const previous = current;
        current = event;
        try {
          running.dispatch(event);
        } finally {
          current = previous;
        }
        tracker.dispatched();
      }),
    );
    connection.add(client.close$.subscribe(() => connection.unsubscribe()));
  };

  return Object.assign(handle, { eventTransformer });
});
