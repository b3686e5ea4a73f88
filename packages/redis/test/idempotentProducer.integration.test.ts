import { BrokerUnavailableError } from '@tributary/messaging';
import type { TransportLayerConnection } from '@tributary/messaging/transport';
import { outgoing, bedWithProxy, RedisTestBed, sleep } from './helpers';

/** Every entry's `id` field in a stream, in order. */
const idsIn = async (bed: RedisTestBed, stream: string): Promise<string[]> => {
  const ids: string[] = [];
  let start = '-';
  for (;;) {
    const page = (await bed.admin.xrange(stream, start, '+', 'COUNT', 1_000)) as Array<[string, string[]]>;
    for (const [, fields] of page) ids.push(fields[fields.indexOf('id') + 1]);
    if (page.length < 1_000) return ids;
    start = `(${page[page.length - 1][0]}`;
  }
};

const event = (id: string, type = 'Ordered') => outgoing({ type, payload: { id }, metadata: { id } });

describe('@tributary/redis streams: the idempotent producer', () => {
  const world = bedWithProxy();

  test('a message re-sent with the same id within the window adds no second entry; another id, or idempotenceWindow: 0, does', async () => {
    const channel = world.bed.channel('idem');
    const client = await world.bed.connect({ channel, mode: 'streams' }, false);
    await client.emitMessage(channel, event('a'));
    await client.emitMessage(channel, event('a'));
    await Promise.all([client.emitMessage(channel, event('b')), client.emitMessage(channel, event('b'))]);
    expect(await idsIn(world.bed, world.bed.key(channel))).toEqual(['a', 'b']);
    expect(Number(await world.bed.admin.pttl(`${world.bed.key(channel)}:ids:a`))).toBeGreaterThan(100_000);

    const off = world.bed.channel('plain');
    const plain = await world.bed.connect({ channel: off, mode: 'streams', idempotenceWindow: 0 }, false);
    await plain.emitMessage(off, event('a'));
    await plain.emitMessage(off, event('a'));
    expect(await idsIn(world.bed, world.bed.key(off))).toEqual(['a', 'a']);
  });

  test('the window expires: after it, the same id is a new entry', async () => {
    const channel = world.bed.channel('expiry');
    const client = await world.bed.connect({ channel, mode: 'streams', idempotenceWindow: 150 }, false);
    await client.emitMessage(channel, event('x'));
    await client.emitMessage(channel, event('x'));
    await sleep(300);
    await client.emitMessage(channel, event('x'));
    expect(await idsIn(world.bed, world.bed.key(channel))).toEqual(['x', 'x']);
  });

  test('publish is idempotent too, and still indexes the type', async () => {
    const channel = world.bed.channel('pub');
    const client = await world.bed.connect({ channel, mode: 'streams' }, false);
    const type = `Shipped${world.bed.id.slice(0, 6)}`;
    await client.publishMessage!(type, event('p', type));
    await client.publishMessage!(type, event('p', type));
    expect(await idsIn(world.bed, world.bed.key(`topic:${type}`))).toEqual(['p']);
    expect(await world.bed.admin.sismember(world.bed.key('topic-index'), type)).toBe(1);
  });

  test('rejects with a typed option error for a negative window', async () => {
    await expect(world.bed.connect({ channel: world.bed.channel('bad'), mode: 'streams', idempotenceWindow: -1 }, false)).rejects.toThrow(/idempotenceWindow/);
  });

  /**
   * Issue 19: cuts while emitting made ioredis reject emits Redis had stored (AbortError on a
   * half-answered auto-pipeline) and re-send queued XADDs (duplicates). With the idempotent
   * producer, re-sending every rejected emit with its id gives exactly one entry per id.
   */
  test('connection cuts while emitting: every rejection is maybeDelivered or known-unsent; re-sending rejected emits gives 0 lost and 0 duplicates', async () => {
    const proxy = await world.proxy();
    const channel = world.bed.channel('cuts');
    const client = await world.bed.connect({ host: `redis://127.0.0.1:${proxy.port}`, channel, mode: 'streams', timeout: 1_500 }, false);
    const total = 6_000;
    const rejected: Array<{ id: string; error: unknown }> = [];
    const emitAll = async (): Promise<void> => {
      for (let start = 0; start < total; start += 200) {
        const batch = Array.from({ length: Math.min(200, total - start) }, (_, i) => `m${start + i}`);
        await Promise.all(batch.map(id => client.emitMessage(channel, event(id)).catch(error => rejected.push({ id, error }))));
      }
    };
    const cuts = (async () => {
      for (let i = 0; i < 4; i++) {
        await sleep(60 + i * 40);
        await proxy.cut();
        await sleep(i % 2 ? 2_000 : 30); // short cuts (requeued), and one past the timeout
        await proxy.restore();
      }
    })();
    await Promise.all([emitAll(), cuts]);

    const maybe = rejected.filter(r => r.error instanceof BrokerUnavailableError && r.error.maybeDelivered).length;
    const unsent = rejected.filter(r => r.error instanceof BrokerUnavailableError && !r.error.maybeDelivered).length;
    expect(maybe + unsent).toBe(rejected.length); // nothing else: no raw AbortError
    const storedBefore = new Set(await idsIn(world.bed, world.bed.key(channel)));
    const storedAlthoughRejected = rejected.filter(r => storedBefore.has(r.id)).length;

    await sleep(300); // commands ioredis re-sends after the reconnection land first
    for (const { id } of rejected) {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.emitMessage(channel, event(id));
          break;
        } catch (error) {
          if (attempt > 20) throw error;
          await sleep(100);
        }
      }
    }
    const ids = await idsIn(world.bed, world.bed.key(channel));
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = Array.from({ length: total }, (_, i) => `m${i}`).filter(id => !counts.has(id)).length;
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    process.stdout.write(
      `[idempotent producer] ${total} emits, 4 cuts: rejected ${rejected.length} (maybeDelivered ${maybe}, known unsent ${unsent}; ` +
        `already stored ${storedAlthoughRejected}), re-sent them; entries ${ids.length}, lost ${lost}, duplicates ${duplicates}\n`,
    );
    expect(rejected.filter(r => storedBefore.has(r.id) && !(r.error as BrokerUnavailableError).maybeDelivered)).toEqual([]);
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
  }, 60_000);

  test('cost of the script on emit throughput (printed, not asserted)', async () => {
    const time = async (connection: TransportLayerConnection, channel: string, n: number, tag: string): Promise<number> => {
      const started = process.hrtime.bigint();
      for (let start = 0; start < n; start += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => connection.emitMessage(channel, event(`${tag}-${start + i}`))));
      }
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const on = world.bed.channel('bench-on');
    const off = world.bed.channel('bench-off');
    const withScript = await world.bed.connect({ channel: on, mode: 'streams' }, false);
    const plain = await world.bed.connect({ channel: off, mode: 'streams', idempotenceWindow: 0 }, false);
    await time(withScript, on, 1_000, 'warm'); // warm up
    await time(plain, off, 1_000, 'warm');
    const n = 10_000;
    const msOn = await time(withScript, on, n, 'run');
    const msOff = await time(plain, off, n, 'run');
    process.stdout.write(
      `[idempotent producer] ${n} emits: script ${Math.round((n / msOn) * 1000)}/s (${msOn.toFixed(0)} ms), ` +
        `plain XADD ${Math.round((n / msOff) * 1000)}/s (${msOff.toFixed(0)} ms)\n`,
    );
    expect(await world.bed.admin.xlen(world.bed.key(on))).toBe(n + 1_000);
  }, 60_000);
});
