import { PartitionFeed } from '../src/internal/PartitionFeed';

interface M {
  topic: string;
  partition: number;
  offset: bigint;
}
const m = (partition: number, offset: number): M => ({ topic: 't', partition, offset: BigInt(offset) });

const feedOf = (limit: number) => {
  const handed: Array<{ message: M; epoch: number }> = [];
  const feed = new PartitionFeed<M>(limit, (message, epoch) => handed.push({ message, epoch }));
  feed.assigned(new Set(['t:0', 't:1']));
  return { feed, handed, offsets: () => handed.map(h => `${h.message.partition}/${h.message.offset}`) };
};

describe('PartitionFeed', () => {
  it('hands over at most `limit` unsettled messages per partition, the rest in order as they settle', () => {
    const { feed, handed, offsets } = feedOf(2);
    for (let i = 0; i < 5; i++) feed.receive(m(0, i), () => true);
    feed.receive(m(1, 0), () => true);
    expect(offsets()).toEqual(['0/0', '0/1', '1/0']);
    expect(feed.waitingCount).toBe(3);
    // settling out of order frees room all the same; the commit waits for offset 0
    feed.settle('t', 0, 1n, handed[1]!.epoch);
    expect(offsets()).toEqual(['0/0', '0/1', '1/0', '0/2']);
    expect(feed.tracker.takeCommits()).toEqual([]);
    feed.settle('t', 0, 0n, handed[0]!.epoch);
    expect(offsets()).toEqual(['0/0', '0/1', '1/0', '0/2', '0/3']);
    expect(feed.tracker.takeCommits()).toEqual([{ partition: 't:0', offset: 2n }]);
    expect(feed.waitingCount).toBe(1);
  });

  it('drops duplicates and messages of partitions that are not ours', () => {
    const { feed, offsets } = feedOf(10);
    feed.receive(m(0, 0), () => true);
    feed.receive(m(0, 0), () => true);
    feed.receive(m(5, 0), () => false);
    expect(offsets()).toEqual(['0/0']);
    // a partition assigned before the group told us (the message came first) is taken
    feed.receive(m(6, 0), () => true);
    expect(offsets()).toEqual(['0/0', '6/0']);
  });

  it('abandons a revoked partition: its waiting messages are dropped, its settlements ignored', () => {
    const { feed, handed } = feedOf(1);
    feed.receive(m(0, 0), () => true);
    feed.receive(m(0, 1), () => true);
    expect(feed.waitingCount).toBe(1);
    feed.assigned(new Set(['t:1']));
    expect(feed.waitingCount).toBe(0);
    feed.settle('t', 0, 0n, handed[0]!.epoch);
    expect(handed).toHaveLength(1);
    expect(feed.tracker.takeCommits()).toEqual([]);
  });

  it('after a stop, the commit stops before the messages that were still waiting', () => {
    const { feed, handed } = feedOf(1);
    feed.receive(m(0, 0), () => true);
    feed.receive(m(0, 1), () => true);
    feed.clearWaiting();
    feed.settle('t', 0, 0n, handed[0]!.epoch);
    expect(handed).toHaveLength(1);
    expect(feed.tracker.takeCommits()).toEqual([{ partition: 't:0', offset: 1n }]);
  });
});
