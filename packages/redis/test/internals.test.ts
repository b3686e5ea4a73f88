import { matchTopic } from '@tributary/messaging/transport';
import { globOf, isWildcard, ownerOf } from '../src/internal/topicPatterns';
import { createRedisKeys } from '../src/internal/keys';
import { resolveOptions } from '../src/internal/resolveOptions';
import { readReplyRouting, withReplyAddress } from '../src/internal/envelope';
import { fromEntryFields, toEntryFields } from '../src/internal/streams/entryFields';

/** Redis glob semantics, for the few characters globOf produces. */
const globMatches = (glob: string, text: string): boolean => {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') source += glob[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (glob[i] === '*') source += '.*';
    else source += glob[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's').test(text);
};

describe('topic patterns', () => {
  const patterns = ['#', '*', 'a.*', 'a.#', '*.b', 'a.*.c', 'a.#.c', 'a', 'a.b', 'we?ird.[x].*'];
  const topics = ['a', 'b', 'a.b', 'a.b.c', 'a.x.c', 'x.b', 'a.b.c.d', 'we?ird.[x].y', 'weXird.x.y', 'ab', ''];

  test('a glob matches every topic its pattern matches (it may over-match; matchTopic filters)', () => {
    for (const pattern of patterns.filter(isWildcard)) {
      for (const topic of topics) if (matchTopic(pattern, topic)) expect([pattern, topic, globMatches(globOf(pattern), topic)]).toEqual([pattern, topic, true]);
    }
    expect(globOf('a.#')).toBe('a*');
    expect(globOf('a.*.c')).toBe('a.*');
    expect(globOf('#')).toBe('*');
    expect(globOf('we?ird.[x].*')).toBe('we\\?ird.\\[x\\].*');
    expect(globMatches(globOf('we?ird.[x].*'), 'weXird.x.y')).toBe(false);
  });

  test('the first matching subscription owns a type, so several matching ones deliver it once', () => {
    expect(ownerOf(['payment.*', 'payment.#', '#'], 'payment.captured')).toBe('payment.*');
    expect(ownerOf(['payment.*', 'payment.#', '#'], 'payment.card.declined')).toBe('payment.#');
    expect(ownerOf(['OrderCreated', '#'], 'OrderCreated')).toBe('OrderCreated');
    expect(ownerOf(['payment.*'], 'order.created')).toBeUndefined();
  });
});

describe('keys', () => {
  test('names carry the prefix; reply addresses are recognised', () => {
    const keys = createRedisKeys('app:', 'orders');
    expect([keys.channel, keys.deadLetter, keys.retryQueue, keys.topic('OrderCreated')]).toEqual([
      'app:orders',
      'app:orders:dead-letter',
      'app:orders:retry',
      'app:topic:OrderCreated',
    ]);
    expect(keys.topicOf('app:topic:a.b')).toBe('a.b');
    expect(keys.topicOf('app:orders')).toBeUndefined();
    const address = keys.replyAddress('123e4567-e89b-12d3-a456-426614174000');
    expect(keys.replyChannelOf(address)).toBe(`app:${address}`);
    expect(keys.replyChannelOf(`${address}#17`)).toBe(`app:${address}`);
    expect(keys.replyChannelOf('orders')).toBeUndefined();
    expect(keys.replyChannelOf('orders:reply:not-a-uuid')).toBeUndefined();
  });
});

describe('options', () => {
  test('Marble.js host forms: bare host, redis:// URL with port, credentials and db, rediss:// for TLS', () => {
    const bare = resolveOptions({ host: 'cache.local', port: 7000, password: 'pw', channel: 'c' });
    expect(bare.client).toEqual(expect.objectContaining({ host: 'cache.local', port: 7000, password: 'pw', lazyConnect: true }));
    expect(bare.address).toBe('redis://:***@cache.local:7000');

    const url = resolveOptions({ host: 'redis://user:p%40ss@10.0.0.1:6390/3', channel: 'c' });
    expect(url.client).toEqual(expect.objectContaining({ host: '10.0.0.1', port: 6390, username: 'user', password: 'p@ss', db: 3 }));
    expect(url.client.tls).toBeUndefined();

    expect(resolveOptions({ host: 'rediss://secure.local', channel: 'c' }).client.tls).toEqual({});
    expect(resolveOptions({ host: 'redis://127.0.0.1', channel: 'c' }).client.port).toBe(6379);
  });

  test('defaults and overrides', () => {
    const options = resolveOptions({ channel: 'orders', keyPrefix: 'p:', redisOptions: { db: 1, keyPrefix: 'ignored:' }, deadLetter: { channel: 'dlq', maxLen: 10 } });
    expect(options.group).toBe('orders');
    expect(options.client.db).toBe(1);
    expect(options.client.keyPrefix).toBeUndefined();
    expect(options.deadLetter).toEqual({ stream: 'p:dlq', maxLen: 10 });
    expect(resolveOptions({ channel: 'orders', deadLetter: false }).deadLetter).toBe(false);
    expect(resolveOptions({ channel: 'orders' }).deadLetter).toEqual({ stream: 'orders:dead-letter', maxLen: 100_000 });
  });
});

describe('envelope and entry fields', () => {
  test('a pubsub request gets its reply address written into the envelope, everything else kept', () => {
    const data = Buffer.from(JSON.stringify({ type: 'Get', payload: 'a::b', metadata: { id: 'm', headers: { h: '1' } } }));
    const patched = JSON.parse(withReplyAddress(data, 'orders:reply:x', 'c-1').toString());
    expect(patched).toEqual({ type: 'Get', payload: 'a::b', metadata: { id: 'm', headers: { h: '1' }, replyTo: 'orders:reply:x', correlationId: 'c-1' } });
    expect(readReplyRouting(Buffer.from(JSON.stringify(patched)))).toEqual({ replyTo: 'orders:reply:x', correlationId: 'c-1' });
    expect(readReplyRouting(Buffer.from('not json'))).toEqual({});
    expect(() => withReplyAddress(Buffer.from('\x00binary'), 'r', 'c')).toThrow(/JSON envelope/);
  });

  test('entry fields round-trip routing facts', () => {
    const flat = toEntryFields({ data: Buffer.from('{}'), type: 'T', messageId: 'id-1', attempt: 3 }, { replyTo: 'r', correlationId: 'c' });
    const entry = fromEntryFields(flat.map(value => (Buffer.isBuffer(value) ? value : Buffer.from(value))));
    expect(entry).toEqual(expect.objectContaining({ type: 'T', id: 'id-1', replyTo: 'r', correlationId: 'c', attempt: 3 }));
    expect(entry.data?.toString()).toBe('{}');
  });
});
