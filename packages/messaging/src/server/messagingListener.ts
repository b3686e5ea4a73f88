import {
  createEffectContext,
  createListener,
  createLogger,
  encodeError,
  Event,
  LoggerLevel,
  LoggerToken,
  MAX_EFFECT_RESTARTS,
  runEffects,
} from '@tributary/core';
import * as O from 'fp-ts/Option';
import { identity, Observable } from 'rxjs';
import type { MsgEffect, MsgErrorEffect, MsgMiddlewareEffect, MsgOutputEffect } from '../effects/messaging.effects.interface';
import type { ListenerConnection, ListenerHandle } from './microservice.interface';
import type { TransportMessageTransformer } from '../transport/transport.interface';
import { jsonTransformer } from '../transport/jsonTransformer';

/**
 * What a messaging listener runs.
 * @since 0.1.0
 * @category listener
 */
export interface MessagingListenerConfig {
  effects?: MsgEffect<any, any>[];
  middlewares?: MsgMiddlewareEffect<any, any>[];
  /** Turns errors into events (by default an `UNHANDLED_ERROR` reply to RPC callers). */
  error$?: MsgErrorEffect;
  /** Sees every outgoing event before it is sent. */
  output$?: MsgOutputEffect;
  /** Bytes ↔ events (JSON by default; unused in-process). */
  msgTransformer?: TransportMessageTransformer;
}

/**
 * A listener bound to its context, ready to run on a connection.
 * @since 0.1.0
 * @category listener
 */
export interface MessagingListener {
  (connection: ListenerConnection): ListenerHandle;
}

/** The default error$: an error event, sent back to the caller when the failing event was an RPC. */
const defaultError$: MsgErrorEffect = error$ =>
  new Observable<Event>(subscriber =>
    error$.subscribe(error =>
      subscriber.next({
        type: 'UNHANDLED_ERROR',
        error: encodeError(error),
        metadata: (error as Error & { event?: Event }).event?.metadata,
      }),
    ),
  );

const isEvent = (value: unknown): value is Event => !!value && typeof value === 'object' && typeof (value as Event).type === 'string';


/**
 * Creates the listener of a messaging service: middlewares, then effects, each isolated
 * (an effect whose stream fails is reported on `error$` and restarted; the others never
 * notice), then `output$`, then sending.
 *
 * @example
 * ```ts
 * import { act, matchEvent } from '@tributary/core';
 * import { messagingListener, MsgEffect, reply } from '@tributary/messaging';
 *
 * const ping$: MsgEffect = event$ =>
 *   event$.pipe(matchEvent('Ping'), act(event => reply(event)({ type: 'Pong' })));
 *
 * export const listener = messagingListener({ effects: [ping$] });
 * ```
 * @since 0.1.0
 * @category listener
 */
export const messagingListener = createListener<MessagingListenerConfig, MessagingListener>(config => ask => {
  const {
    effects = [],
    middlewares = [],
    error$ = defaultError$,
    output$ = identity as unknown as MsgOutputEffect,
    msgTransformer = jsonTransformer,
  } = config ?? {};
  const logger = O.getOrElse(() => createLogger())(ask(LoggerToken));

  return connection => {
    const running = runEffects({
      ctx: createEffectContext({ ask, client: connection }),
      middlewares: middlewares as MsgMiddlewareEffect[],
      effects: effects as MsgEffect[],
      output$,
      error$,
      // an output without destination goes back to the service's own channel, and says so
      address: event => connection.address(event),
      send: event => {
        if (isEvent(event)) connection.output(event);
      },
      // the event being dispatched when an effect failed is marked failed (retried, or answered)
      onEffectError: (err, name, stopped) => {
        const delivery = connection.current;
        if (delivery) {
          delivery.fail(err);
          if (!(err as { event?: Event }).event) Object.defineProperty(err, 'event', { value: delivery.event, enumerable: false });
        }
        logger({ tag: 'messaging', type: 'ServerListener', message: `${name} failed: ${err.name}: ${err.message}`, level: LoggerLevel.ERROR })();
        if (stopped) {
          logger({ tag: 'messaging', type: 'ServerListener', message: `${name} failed ${MAX_EFFECT_RESTARTS} times: stopped`, level: LoggerLevel.ERROR })();
        }
      },
    });
    return { transformer: msgTransformer, dispatch: running.dispatch, reportError: running.reportError, close: running.close };
  };
});
