import type { Context, ServerConfig, ServerIO } from '@tributary/core';
import type { WsServerEffect } from '../effects/websocket.effects.interface';
import type { webSocketListener } from './webSocketListener';
import type { WebSocketServerOptions } from './webSocketServerOptions';
import type { WebSocketCloseOptions, WebSocketServerConnection } from './WebSocketServerConnection';

/**
 * What `createWebSocketServer` takes.
 * @example
 * ```ts
 * import { WebSocketServerConfig, webSocketListener } from '@tributary/websockets';
 * export const config: WebSocketServerConfig = { options: { port: 8080 }, listener: webSocketListener({ effects: [] }) };
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketServerConfig extends ServerConfig<WsServerEffect, ReturnType<typeof webSocketListener>> {
  options?: WebSocketServerOptions;
}

/**
 * A server ready to start: call it to listen; `close()` stops it (a no-op before start).
 * @example
 * ```ts
 * import { createWebSocketServer, webSocketListener, WebSocketServerIO } from '@tributary/websockets';
 * const server: WebSocketServerIO = await createWebSocketServer({ options: { port: 0 }, listener: webSocketListener() });
 * await server();
 * await server.close();
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketServerIO extends ServerIO<WebSocketServerConnection> {
  readonly context: Context;
  close(options?: WebSocketCloseOptions): Promise<void>;
}
