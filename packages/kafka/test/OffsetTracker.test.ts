import { OffsetTracker } from '../src/internal/OffsetTracker';

describe('OffsetTracker (contiguous commit)', () => {
  it('commits in order when messages settle in order', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('orders:0');
    for (const o of [0n, 1n, 2n]) expect(t.add('orders:0', o)).toBe(true);
    expect(t.settle('orders:0', 0n, epoch)).toBe(true);
    expect(t.takeCommits()).toEqual([{ partition: 'orders:0', offset: 1n }]);
    t.settle('orders:0', 1n, epoch);
    t.settle('orders:0', 2n, epoch);
    expect(t.takeCommits()).toEqual([{ partition: 'orders:0', offset: 3n }]);
    expect(t.takeCommits()).toEqual([]);
  });

  it('never commits past an unsettled message when later ones settle first', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('orders:1');
    for (const o of [10n, 11n, 12n, 13n]) t.add('orders:1', o);
    expect(t.settle('orders:1', 12n, epoch)).toBe(false);
    expect(t.settle('orders:1', 13n, epoch)).toBe(false);
    expect(t.takeCommits()).toEqual([]);
    expect(t.unsettled('orders:1')).toBe(2);
    expect(t.settle('orders:1', 10n, epoch)).toBe(true);
    expect(t.takeCommits()).toEqual([{ partition: 'orders:1', offset: 11n }]);
    expect(t.settle('orders:1', 11n, epoch)).toBe(true);
    // 11 settled: the prefix runs through the already settled 12 and 13
    expect(t.takeCommits()).toEqual([{ partition: 'orders:1', offset: 14n }]);
    expect(t.unsettled('orders:1')).toBe(0);
  });

  it('tolerates gaps in offsets (compaction, transaction markers)', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('t:0');
    t.add('t:0', 5n);
    t.add('t:0', 9n);
    t.settle('t:0', 9n, epoch);
    expect(t.takeCommits()).toEqual([]);
    t.settle('t:0', 5n, epoch);
    expect(t.takeCommits()).toEqual([{ partition: 't:0', offset: 10n }]);
  });

  it('refuses duplicates (a refetch after a rebalance) and unassigned partitions', () => {
    const t = new OffsetTracker();
    t.assign('t:0');
    expect(t.add('t:0', 3n)).toBe(true);
    expect(t.add('t:0', 3n)).toBe(false);
    expect(t.add('t:0', 2n)).toBe(false);
    expect(t.add('t:1', 0n)).toBe(false);
  });

  it('settles each offset once; a second settlement changes nothing', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('t:0');
    t.add('t:0', 0n);
    t.add('t:0', 1n);
    t.settle('t:0', 1n, epoch);
    expect(t.settle('t:0', 1n, epoch)).toBe(false);
    expect(t.unsettled('t:0')).toBe(1);
  });

  it('ignores settlements of a revoked partition, also after it is assigned again', () => {
    const t = new OffsetTracker();
    const old = t.assign('t:0');
    t.add('t:0', 0n);
    t.revoke('t:0');
    expect(t.settle('t:0', 0n, old)).toBe(false);
    const fresh = t.assign('t:0');
    expect(fresh).not.toBe(old);
    t.add('t:0', 0n);
    expect(t.settle('t:0', 0n, old)).toBe(false);
    expect(t.settle('t:0', 0n, fresh)).toBe(true);
    expect(t.takeCommits()).toEqual([{ partition: 't:0', offset: 1n }]);
  });

  it('restores commits that failed, and keeps partitions apart', () => {
    const t = new OffsetTracker();
    const a = t.assign('t:0');
    const b = t.assign('t:1');
    t.add('t:0', 0n);
    t.add('t:1', 7n);
    t.settle('t:0', 0n, a);
    t.settle('t:1', 7n, b);
    const commits = t.takeCommits();
    expect(commits).toHaveLength(2);
    t.restore(commits);
    expect(t.takeCommits()).toEqual(expect.arrayContaining([{ partition: 't:0', offset: 1n }, { partition: 't:1', offset: 8n }]));
  });

  it('keeps the right position over many out-of-order settlements', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('t:0');
    const n = 5000;
    for (let i = 0; i < n; i++) t.add('t:0', BigInt(i));
    const order = Array.from({ length: n }, (_, i) => i).sort(() => Math.random() - 0.5);
    const holdout = order.indexOf(2500);
    for (const i of order) if (i !== 2500) t.settle('t:0', BigInt(i), epoch);
    expect(holdout).toBeGreaterThanOrEqual(0);
    const before = t.takeCommits();
    expect(before.length === 0 || before[0]!.offset <= 2500n).toBe(true);
    t.settle('t:0', 2500n, epoch);
    expect(t.takeCommits()).toEqual([{ partition: 't:0', offset: BigInt(n) }]);
    expect(t.totalUnsettled).toBe(0);
  });

  it('keeps the right position while messages keep arriving and settling, past the window compaction', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('t:0');
    // offsets with gaps; each step adds 10 and settles the 10 before the newest 20, the last of them first
    const offsetOf = (i: number) => BigInt(i * 3);
    for (let step = 0; step < 400; step++) {
      for (let i = step * 10; i < step * 10 + 10; i++) expect(t.add('t:0', offsetOf(i))).toBe(true);
      const upTo = step * 10 - 20;
      if (upTo < 0) continue;
      for (let i = upTo + 9; i >= upTo; i--) t.settle('t:0', offsetOf(i), epoch);
      expect(t.takeCommits()).toEqual([{ partition: 't:0', offset: offsetOf(upTo + 9) + 1n }]);
      expect(t.unsettled('t:0')).toBe(20);
    }
  });
});

describe('OffsetTracker guards', () => {
  it('ignores settling an offset it never handed over', () => {
    const t = new OffsetTracker();
    const epoch = t.assign('t:0');
    t.add('t:0', 3n);
    t.add('t:0', 6n);
    expect(t.settle('t:0', 5n, epoch)).toBe(false);
    expect(t.unsettled('t:0')).toBe(2);
    t.settle('t:0', 3n, epoch);
    expect(t.takeCommits()).toEqual([{ partition: 't:0', offset: 4n }]);
  });
});
