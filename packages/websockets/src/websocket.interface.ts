/**
 * WebSocket close codes (RFC 6455 §7.4 and the IANA registry). The server uses
 * `GOING_AWAY` when it shuts down, `MESSAGE_TOO_BIG` when a client message is over
 * `maxPayload`, `TRY_AGAIN_LATER` when a slow client is cut, `POLICY_VALIDATION` for a
 * {@link WebSocketConnectionError} without a status.
 *
 * @example
 * ```ts
 * import { WebSocketStatus } from '@tributary/websockets';
 * WebSocketStatus.GOING_AWAY; // 1001
 * ```
 * @since 0.1.0
 * @category websockets
 */
export enum WebSocketStatus {
  NORMAL_CLOSURE = 1000,
  GOING_AWAY = 1001,
  PROTOCOL_ERROR = 1002,
  UNSUPPORTED_DATA = 1003,
  NO_STATUS_RECIEVED = 1005,
  ABNORMAL_CLOSURE = 1006,
  INVALID_FRAME_PAYLOAD_DATA = 1007,
  POLICY_VALIDATION = 1008,
  MESSAGE_TOO_BIG = 1009,
  MISSING_EXTENSION = 1010,
  INTERNAL_ERROR = 1011,
  SERVICE_RESTART = 1012,
  TRY_AGAIN_LATER = 1013,
  BAD_GATEWAY = 1014,
  TLS_HANDSHAKE = 1015,
}

/**
 * What the heartbeat found out about a client (Marble.js name).
 *
 * @example
 * ```ts
 * import { WebSocketConnectionLiveness } from '@tributary/websockets';
 * WebSocketConnectionLiveness.DEAD; // 1
 * ```
 * @since 0.1.0
 * @category websockets
 */
export enum WebSocketConnectionLiveness {
  ALIVE = 0,
  DEAD = 1,
}

/**
 * What a WebSocket message carries: a string for text frames, bytes for binary frames.
 *
 * @example
 * ```ts
 * import { WebSocketData } from '@tributary/websockets';
 * const data: WebSocketData = '{"type":"Ping"}';
 * ```
 * @since 0.1.0
 * @category websockets
 */
export type WebSocketData = string | Buffer | ArrayBuffer | Buffer[];
