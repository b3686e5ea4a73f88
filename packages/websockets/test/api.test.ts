import * as websockets from '@tributary/websockets';

describe('public API', () => {
  it('exports the Marble.js names and the Tributary additions', () => {
    expect(Object.keys(websockets).sort()).toEqual(
      [
        'DEFAULT_SUBSCRIPTION_OPTIONS',
        'DEFAULT_WEBSOCKET_SERVER_OPTIONS',
        'InvalidEventError',
        'ServerEvent',
        'ServerEventType',
        'SubscriptionError',
        'SubscriptionEventType',
        'UnknownEventError',
        'WebSocketConnectionError',
        'WebSocketConnectionLiveness',
        'WebSocketServerError',
        'WebSocketStatus',
        'WebSocketUpgradeError',
        'bridgeToWebSockets',
        'broadcast',
        'createWebSocketServer',
        'defaultError$',
        'isCloseClientEvent',
        'isCloseEvent',
        'isConnectionEvent',
        'isErrorEvent',
        'isHeadersEvent',
        'isListeningEvent',
        'jsonTransformer',
        'publishToSubscribers',
        'webSocketListener',
      ].sort(),
    );
  });

  it('errors are Error subclasses with a name', () => {
    const errors = [
      new websockets.WebSocketConnectionError('x'),
      new websockets.InvalidEventError('bad', '"x"'),
      new websockets.UnknownEventError({ type: 'X' }),
      new websockets.SubscriptionError('no'),
      new websockets.WebSocketUpgradeError(401, 'no'),
      new websockets.WebSocketServerError('no'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new websockets.WebSocketConnectionError('x').status).toBe(websockets.WebSocketStatus.POLICY_VALIDATION);
  });

  it('has documented defaults', () => {
    expect(websockets.DEFAULT_WEBSOCKET_SERVER_OPTIONS).toEqual({
      maxPayload: 1048576,
      heartbeatInterval: 30000,
      maxBufferedBytes: 1048576,
      closeTimeout: 5000,
      handshakeTimeout: 10000,
      maxConnections: 10000,
      maxPendingMessages: 64,
      maxMessagesPerSecond: 1000,
    });
  });
});
