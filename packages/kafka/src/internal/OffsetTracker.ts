/** One partition's window: offsets handed over, in order, and which of them settled. */
class PartitionWindow {
  /** Offsets in arrival (= increasing offset) order, from `head` on, and whether each settled. */
  private offsets: bigint[] = [];
  private settled: boolean[] = [];
  private head = 0;
  /** Offsets added and not settled. */
  private open = 0;
  /** The highest offset seen in this window (duplicates at or below it are refused). */
  last: bigint | undefined;
  /** The offset to commit next (the first offset not yet known settled), once something settled. */
  commit: bigint | undefined;
  constructor(readonly epoch: number) {}

  get unsettled(): number {
    return this.open;
  }

  add(offset: bigint): boolean {
    if (this.last !== undefined && offset <= this.last) return false;
    this.last = offset;
    this.offsets.push(offset);
    this.settled.push(false);
    this.open++;
    return true;
  }

  /** Where `offset` is in the window (offsets increase: a binary search, no hashing of bigints), or -1. */
  private indexOf(offset: bigint): number {
    let lo = this.head;
    let hi = this.offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.offsets[mid]!;
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Marks `offset` settled; returns the new commit position when the contiguous prefix grew. */
  settle(offset: bigint): bigint | undefined {
    const index = this.indexOf(offset);
    if (index < 0 || this.settled[index]) return undefined;
    this.settled[index] = true;
    this.open--;
    let advanced: bigint | undefined;
    while (this.head < this.offsets.length && this.settled[this.head]) advanced = this.offsets[this.head++]! + 1n;
    if (this.head > 1024 && this.head * 2 > this.offsets.length) {
      this.offsets = this.offsets.slice(this.head);
      this.settled = this.settled.slice(this.head);
      this.head = 0;
    }
    if (advanced !== undefined) this.commit = advanced;
    return advanced;
  }
}

/**
 * Contiguous commit bookkeeping, per partition (`topic:partition`): offsets are added in the
 * order the broker delivered them; settling them in any order moves the partition's commit
 * position only past a prefix in which everything settled, never past an unsettled offset.
 * Each assignment of a partition has an epoch: settlements of an older epoch (a partition
 * revoked, then maybe assigned again) are ignored.
 */
export class OffsetTracker {
  private readonly windows = new Map<string, PartitionWindow>();
  private epochs = 0;
  /** Partitions whose commit position moved since `takeCommits`. */
  private readonly dirty = new Set<string>();

  /** Starts tracking a partition (a new epoch) unless it is tracked; returns its epoch. */
  assign(partition: string): number {
    const window = this.windows.get(partition);
    if (window) return window.epoch;
    const fresh = new PartitionWindow(++this.epochs);
    this.windows.set(partition, fresh);
    return fresh.epoch;
  }

  /** Stops tracking a partition: later settlements of its messages are ignored. */
  revoke(partition: string): void {
    this.windows.delete(partition);
    this.dirty.delete(partition);
  }

  isAssigned(partition: string): boolean {
    return this.windows.has(partition);
  }

  assigned(): string[] {
    return [...this.windows.keys()];
  }

  /** Records a message; false when it is a duplicate (at or below an offset seen) or the partition is not assigned. */
  add(partition: string, offset: bigint): boolean {
    return this.windows.get(partition)?.add(offset) ?? false;
  }

  epoch(partition: string): number | undefined {
    return this.windows.get(partition)?.epoch;
  }

  /** Messages of the partition added and not settled. */
  unsettled(partition: string): number {
    return this.windows.get(partition)?.unsettled ?? 0;
  }

  /** Settles a message of `epoch`; true when the partition's commit position moved. */
  settle(partition: string, offset: bigint, epoch: number): boolean {
    const window = this.windows.get(partition);
    if (!window || window.epoch !== epoch) return false;
    if (window.settle(offset) === undefined) return false;
    this.dirty.add(partition);
    return true;
  }

  /** The commit position of each partition that moved since the last call (then forgets them). */
  takeCommits(): Array<{ partition: string; offset: bigint }> {
    const out: Array<{ partition: string; offset: bigint }> = [];
    for (const partition of this.dirty) {
      const commit = this.windows.get(partition)?.commit;
      if (commit !== undefined) out.push({ partition, offset: commit });
    }
    this.dirty.clear();
    return out;
  }

  /** Puts commit positions back after a failed commit (unless they moved on meanwhile). */
  restore(commits: ReadonlyArray<{ partition: string }>): void {
    for (const { partition } of commits) if (this.windows.has(partition)) this.dirty.add(partition);
  }

  /** Messages added and not settled, over every partition. */
  get totalUnsettled(): number {
    let n = 0;
    for (const window of this.windows.values()) n += window.unsettled;
    return n;
  }
}
