import { ConnectionStatus, Transport } from '@tributary/messaging';
import { provideTransportLayer } from '@tributary/messaging/transport';
import * as Redis from '@tributary/redis';

describe('@tributary/redis public API', () => {
  test('exports what the docs promise, and nothing from internal/', () => {
    expect(Object.keys(Redis).sort()).toEqual(
      ['DEFAULT_REDIS_OPTIONS', 'RedisConnectionStatus', 'createRedisDedupeStore', 'createRedisStrategy', 'createTransportLayer'].sort(),
    );
    expect(Redis.createRedisStrategy).toBe(Redis.createTransportLayer);
  });

  test('Transport.REDIS resolves to this package through the messaging layer', () => {
    const layer = provideTransportLayer(Transport.REDIS, { channel: 'orders' });
    expect(layer.type).toBe(Transport.REDIS);
    expect(layer.config).toEqual(
      expect.objectContaining({ channel: 'orders', wire: 'envelope', durable: false, timeout: 120_000, host: 'redis://127.0.0.1:6379', subscribe: [] }),
    );
  });

  test('the layer config says streams mode is durable and masks credentials', () => {
    const layer = Redis.createTransportLayer({ host: 'redis://admin:s3cret@cache.local:6380/2', channel: 'orders', mode: 'streams', retry: { maxAttempts: 2 } });
    expect(layer.config.durable).toBe(true);
    expect(layer.config.host).toBe('redis://admin:***@cache.local:6380');
    expect(layer.config.host).not.toContain('s3cret');
    expect(layer.config.retry).toEqual({ maxAttempts: 2, initialDelay: 200, maxDelay: 30_000, factor: 2 });
  });

  test('a missing channel fails at once, saying what to pass', () => {
    expect(() => Redis.createTransportLayer({} as any)).toThrow(/option "channel" is missing/);
    expect(() => Redis.createTransportLayer({ channel: 'x', batchSize: 0 })).toThrow(/"batchSize" must be a positive/);
  });

  test('RedisConnectionStatus keeps Marble.js names on the values status$ emits', () => {
    expect(Redis.RedisConnectionStatus.READY).toBe(ConnectionStatus.CONNECTED);
    expect(Redis.RedisConnectionStatus.CONNECT).toBe(ConnectionStatus.CONNECTED);
    expect(Redis.RedisConnectionStatus.RECONNECTING).toBe(ConnectionStatus.RECONNECTING);
    expect(Redis.RedisConnectionStatus.END).toBe(ConnectionStatus.CLOSED);
  });

  test('DEFAULT_REDIS_OPTIONS: pubsub as Marble.js, streams tuning', () => {
    expect(Redis.DEFAULT_REDIS_OPTIONS).toEqual(
      expect.objectContaining({ mode: 'pubsub', host: '127.0.0.1', port: 6379, timeout: 120_000, claimIdleTime: 30_000, batchSize: 32, blockTime: 2_000, keyPrefix: '' }),
    );
  });
});
