import { bindTo, combineEffects, contextFactory, createEffectContext, createLogger, LoggerLevel, LoggerTag, LoggerToken, lookup, useContext } from '@tributary/core';
import { takeWhile } from 'rxjs';
import type { WsServerEffect } from '../effects/websocket.effects.interface';
import { isolate } from '../internal/isolate';
import { ResolvedOptions, WebSocketServerRuntime } from '../internal/WebSocketServerRuntime';
import { WebSocketServerError } from '../error/errors';
import { isCloseEvent } from './serverEvents';
import type { WebSocketServerConfig, WebSocketServerIO } from './websocket.server.interface';
import { DEFAULT_WEBSOCKET_SERVER_OPTIONS, WebSocketServerOptions } from './webSocketServerOptions';

const resolveOptions = (options: WebSocketServerOptions = {}): ResolvedOptions => {
  if (options.port !== undefined && options.server) {
    throw new WebSocketServerError('Pass either options.port (to listen on its own) or options.server (to attach to an http.Server), not both');
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new WebSocketServerError(`options.port must be an integer from 0 to 65535 (0: any free port); got ${String(options.port)}`);
  }
  if (options.path !== undefined && !options.path.startsWith('/')) {
    throw new WebSocketServerError(`options.path must start with "/" (e.g. "/ws"); got "${options.path}"`);
  }
  const resolved = { ...DEFAULT_WEBSOCKET_SERVER_OPTIONS, ...stripUndefined(options) } as ResolvedOptions;
  for (const key of ['maxPayload', 'maxBufferedBytes', 'closeTimeout', 'handshakeTimeout'] as const) {
    if (!(resolved[key] > 0)) throw new WebSocketServerError(`options.${key} must be a positive number; got ${String(resolved[key])}`);
  }
  return resolved;
};

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>;

/**
 * Creates a WebSocket server: builds its context from `dependencies`, then returns a
 * function that starts listening and resolves the running server. Standalone on
 * `options.port`, attached to `options.server` (upgrades on `options.path`), or neither
 * (call `connection.handleUpgrade` yourself). `event$` sees the server's events and runs
 * with the server as `ctx.client` (see `bridgeToWebSockets`). `close()` closes every client
 * with 1001 and stops.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { map } from 'rxjs';
 * import { createWebSocketServer, webSocketListener, WsEffect } from '@tributary/websockets';
 *
 * const echo$: WsEffect = event$ =>
 *   event$.pipe(matchEvent('Echo'), map(e => ({ type: 'Echo', payload: e.payload })));
 *
 * const server = await createWebSocketServer({
 *   options: { port: 8080, path: '/ws' },
 *   listener: webSocketListener({ effects: [echo$] }),
 * });
 * const connection = await server();
 * console.log(connection.url); // ws://localhost:8080/ws
 * await server.close();
 * ```
 * @since 0.1.0
 * @category server
 */
export const createWebSocketServer = async (config: WebSocketServerConfig): Promise<WebSocketServerIO> => {
  const { options, listener, dependencies = [], event$ } = config;
  if (typeof listener !== 'function') {
    throw new WebSocketServerError('createWebSocketServer needs a listener: pass listener: webSocketListener({ effects: [...] })');
  }
  const resolved = resolveOptions(options);
  const context = await contextFactory(bindTo(LoggerToken)(() => createLogger()), ...dependencies);
  const ask = lookup(context);
  const logger = useContext(LoggerToken)(ask);
  const runtime = new WebSocketServerRuntime(resolved, listener(context), logger);

  if (event$) {
    const serverEffects = combineEffects(event$ as WsServerEffect);
    const ctx = createEffectContext({ ask, client: runtime });
    const input$ = runtime.event$.pipe(takeWhile(e => !isCloseEvent(e), true));
    const running = isolate('event$', serverEffects(input$, ctx), (error, _name, stopped) => {
      logger({ tag: LoggerTag.WEBSOCKETS, type: 'WebSocketServer', message: `event$ failed: ${error.name}: ${error.message}${stopped ? ' (stopped)' : ''}`, level: LoggerLevel.ERROR })();
    }).subscribe();
    // server effects end with the server, even those over streams of their own (bridges)
    runtime.event$.subscribe({ complete: () => running.unsubscribe() });
  }

  return Object.assign(() => runtime.listen(), {
    context,
    close: (closeOptions?: Parameters<WebSocketServerRuntime['close']>[0]) => runtime.close(closeOptions),
  });
};
