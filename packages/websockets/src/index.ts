// server
export { createWebSocketServer } from './server/createWebSocketServer';
export type { WebSocketServerConfig, WebSocketServerIO } from './server/websocket.server.interface';
export type { WebSocketServerConnection, WebSocketCloseOptions } from './server/WebSocketServerConnection';
export type { WebSocketClientConnection } from './server/WebSocketClientConnection';
export { DEFAULT_WEBSOCKET_SERVER_OPTIONS } from './server/webSocketServerOptions';
export type { WebSocketServerOptions, AuthenticateFn, VerifyClientFn } from './server/webSocketServerOptions';
export {
  ServerEvent,
  ServerEventType,
  isListeningEvent,
  isHeadersEvent,
  isConnectionEvent,
  isCloseEvent,
  isCloseClientEvent,
  isErrorEvent,
} from './server/serverEvents';
export type { AllServerEvents } from './server/serverEvents';

// listener
export { webSocketListener } from './server/webSocketListener';
export type { WebSocketListener, WebSocketListenerConfig } from './server/webSocketListener';

// effects
export type { WsEffect, WsMiddlewareEffect, WsErrorEffect, WsOutputEffect, WsServerEffect, WsConnectionEffect } from './effects/websocket.effects.interface';

// operators
export { broadcast } from './operators/broadcast';
export { publishToSubscribers } from './operators/publishToSubscribers';

// subscriptions (rooms / topics)
export { SubscriptionEventType, DEFAULT_SUBSCRIPTION_OPTIONS } from './subscriptions/subscriptions';
export type { SubscriptionOptions } from './subscriptions/subscriptions';

// bridge
export { bridgeToWebSockets } from './bridge/bridgeToWebSockets';
export type { BridgeToWebSocketsConfig, BridgeSource, HasEvents } from './bridge/bridgeToWebSockets';

// transformer
export { jsonTransformer } from './transformer/EventTransformer';
export type { EventTransformer } from './transformer/EventTransformer';

// status codes
export { WebSocketStatus, WebSocketConnectionLiveness } from './websocket.interface';
export type { WebSocketData } from './websocket.interface';

// errors
export { defaultError$ } from './error/defaultError';
export {
  WebSocketConnectionError,
  InvalidEventError,
  UnknownEventError,
  SubscriptionError,
  WebSocketUpgradeError,
  WebSocketServerError,
} from './error/errors';
