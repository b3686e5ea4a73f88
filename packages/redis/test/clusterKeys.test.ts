import { createRedisKeys, sameSlot } from '../src/internal/keys';
import { resolveOptions } from '../src/internal/resolveOptions';

describe('@tributary/redis keys on Redis Cluster', () => {
  test('a single server keeps its names; a cluster tags every key of the service with its channel', () => {
    const plain = createRedisKeys('shop:', 'orders');
    expect([plain.channel, plain.deadLetter, plain.retryQueue, plain.stream('billing')]).toEqual(['shop:orders', 'shop:orders:dead-letter', 'shop:orders:retry', 'shop:billing']);
    const tagged = createRedisKeys('shop:', 'orders', true);
    expect([tagged.channel, tagged.deadLetter, tagged.retryQueue, tagged.retryData, tagged.subscriptions, tagged.stream('billing')]).toEqual([
      'shop:{orders}',
      'shop:{orders}:dead-letter',
      'shop:{orders}:retry',
      'shop:{orders}:retry:data',
      'shop:{orders}:subscriptions',
      'shop:{billing}',
    ]);
    expect(sameSlot(tagged.channel, tagged.deadLetter, tagged.retryQueue, tagged.retryData)).toBe(true);
    expect(sameSlot(tagged.channel, tagged.topic('OrderPlaced'))).toBe(false);
  });

  test('sameSlot follows Redis hash tag rules: the first non-empty {...}, else the whole key', () => {
    expect(sameSlot('a{x}b', 'c{x}')).toBe(true);
    expect(sameSlot('{}x', '{}x')).toBe(true);
    expect(sameSlot('{}x', '{}y')).toBe(false);
    expect(sameSlot('{x}{y}', 'z{x}')).toBe(true);
  });

  test('cluster options: the address lists the nodes; replicas must be a whole number', () => {
    const options = resolveOptions({ channel: 'orders', cluster: [{ host: '127.0.0.1', port: 7000 }, { host: '::1', port: 7001 }] });
    expect(options.address).toBe('redis-cluster://127.0.0.1:7000,[::1]:7001');
    expect(options.keys.channel).toBe('{orders}');
    expect(options.replicas).toBe(0);
    expect(() => resolveOptions({ channel: 'orders', replicas: 1.5 })).toThrow(/"replicas" must be a whole number/);
  });
});
