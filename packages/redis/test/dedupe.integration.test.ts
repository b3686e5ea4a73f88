import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createRedisDedupeStore } from '@tributary/redis';
import { REDIS_URL, sleep } from './helpers';

describe('createRedisDedupeStore', () => {
  const prefix = `test:${randomUUID()}:dedupe:`;
  const admin = new Redis(REDIS_URL);

  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    await admin.quit();
  });

  test('claim is SET NX PX: first claim wins, repeats lose until the TTL passes or the claim is released', async () => {
    const store = createRedisDedupeStore({ options: REDIS_URL, keyPrefix: prefix });
    const other = createRedisDedupeStore({ options: REDIS_URL, keyPrefix: prefix }); // another instance
    try {
      expect(await store.claim('m-1', 10_000)).toBe(true);
      expect(await other.claim('m-1', 10_000)).toBe(false);
      expect(await admin.pttl(`${prefix}m-1`)).toBeGreaterThan(9_000);

      await store.release('m-1');
      expect(await admin.exists(`${prefix}m-1`)).toBe(0);
      expect(await other.claim('m-1', 10_000)).toBe(true);

      expect(await store.claim('short', 100)).toBe(true);
      await sleep(200);
      expect(await other.claim('short', 100)).toBe(true);
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });

  test('a given client is used and left open by close()', async () => {
    const client = new Redis(REDIS_URL);
    const store = createRedisDedupeStore({ client, keyPrefix: prefix });
    expect(await store.claim('shared', 1_000)).toBe(true);
    await store.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});
