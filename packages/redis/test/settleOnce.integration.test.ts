/**
 * A settlement that writes something (a dead letter, a retry) is written once, even when the
 * command is sent twice: ioredis re-sends commands left unanswered by a connection cut, and the
 * first one may have run. Real Redis; the lost answers and the cut come from a loopback proxy.
 */
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { outgoing, bedWithProxy, RedisTestBed, sleep } from './helpers';

/** Every entry of a stream as its field map. */
const entries = async (bed: RedisTestBed, stream: string): Promise<Array<Record<string, string>>> => {
  const page = (await bed.admin.xrange(stream, '-', '+')) as Array<[string, string[]]>;
  return page.map(([, fields]) => {
    const map: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) map[fields[i]] = fields[i + 1];
    return map;
  });
};

const waitFor = async (check: () => Promise<boolean> | boolean, ms: number): Promise<void> => {
  for (const until = Date.now() + ms; !(await check()) && Date.now() < until; ) await sleep(50);
};

describe('@tributary/redis streams: settlements written once', () => {
  const world = bedWithProxy();

  test('dead letters and retries whose answers were lost, sent again after the cut: one dead letter per entry, none doubled, none lost', async () => {
    const proxy = await world.proxy();
    const channel = world.bed.channel('once');
    const total = 200;
    const producer = await world.bed.connect({ channel, mode: 'streams' }, false);
    await Promise.all(Array.from({ length: total }, (_, i) => producer.emitMessage(channel, outgoing({ type: 'Doomed', payload: i, metadata: { id: `d${i}` } }))));
    const consumer = await world.bed.connect({ host: `redis://127.0.0.1:${proxy.port}`, channel, mode: 'streams', timeout: 3_000, claimIdleTime: 1_000, batchSize: total });
    // even ids are dead-lettered at once; odd ids retried first (attempt 2), then dead-lettered
    const settle = (connection: TransportLayerConnection, message: TransportMessage): void => {
      const odd = Number(message.messageId!.slice(1)) % 2 === 1;
      const done =
        odd && (message.attempt ?? 1) < 2
          ? connection.retryMessage!(message, { delay: 10, attempt: 2, error: { name: 'Error', message: 'retry' } })
          : connection.deadLetterMessage(message, { reason: 'failed', attempts: message.attempt ?? 1 });
      void done.catch(() => undefined);
    };
    const held: TransportMessage[] = [];
    let holding = true;
    world.bed.consume(consumer, message => (holding ? held.push(message) : settle(consumer, message)));
    await waitFor(() => held.length === total, 10_000);
    expect(held).toHaveLength(total);

    // the settlements reach Redis and run; their answers are lost; the connection dies
    await proxy.dropReplies();
    holding = false;
    for (const message of held) settle(consumer, message);
    const deadLetters = world.bed.key(`${channel}:dead-letter`);
    await waitFor(async () => (await world.bed.admin.xlen(deadLetters)) >= total / 2, 5_000);
    await proxy.cut();
    await proxy.restore();

    let letters = await entries(world.bed, deadLetters);
    const distinct = () => new Set(letters.map(letter => letter.id)).size;
    for (const until = Date.now() + 20_000; distinct() < total && Date.now() < until; ) {
      await sleep(100);
      letters = await entries(world.bed, deadLetters);
    }
    await sleep(1_000); // whatever is sent twice has landed by now
    letters = await entries(world.bed, deadLetters);
    process.stdout.write(`[settled once] ${total} entries, answers lost then a cut: ${letters.length} dead letters, ${distinct()} distinct\n`);
    expect(distinct()).toBe(total);
    expect(letters.length).toBe(total);
    // each odd entry was retried once before its dead letter
    expect(letters.filter(letter => Number(letter.id.slice(1)) % 2 === 1 && letter.attempts !== '2')).toEqual([]);
  }, 60_000);
});
