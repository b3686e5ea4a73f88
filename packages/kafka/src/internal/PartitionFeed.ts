import { OffsetTracker } from './OffsetTracker';

/** What the feed needs of a fetched message. */
export interface FeedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Hands fetched messages over in partition order, at most `limit` unsettled per partition
 * (the others wait here, in order), and keeps the contiguous commit bookkeeping
 * (`OffsetTracker`). Partitions come and go with the group's assignment: a revoked partition's
 * waiting messages are dropped and its settlements ignored (the next owner reads them again).
 */
export class PartitionFeed<M extends FeedMessage> {
  readonly tracker = new OffsetTracker();
  private readonly waiting = new Map<string, M[]>();
  private waits = 0;
  /** `topic:partition` keys, built once per partition: every lookup then reuses one string (and its hash). */
  private readonly keys = new Map<string, string[]>();

  constructor(
    private readonly limit: number,
    /** Hands one message over (`epoch`: its partition's assignment, for settling it later). */
    private readonly handOver: (message: M, epoch: number) => void,
  ) {}

  /** Messages fetched and waiting for room in their partition. */
  get waitingCount(): number {
    return this.waits;
  }

  /** The group's assignment now: revoked partitions are abandoned, new ones tracked. */
  assigned(partitions: ReadonlySet<string>): void {
    for (const partition of this.tracker.assigned()) {
      if (partitions.has(partition)) continue;
      this.tracker.revoke(partition);
      this.waits -= this.waiting.get(partition)?.length ?? 0;
      this.waiting.delete(partition);
    }
    for (const partition of partitions) this.tracker.assign(partition);
  }

  /** The key of a partition (the same string each time). */
  keyOf(topic: string, partition: number): string {
    let byPartition = this.keys.get(topic);
    if (!byPartition) this.keys.set(topic, (byPartition = []));
    return (byPartition[partition] ??= partitionKey(topic, partition));
  }

  /** A fetched message: handed over now, or queued behind its partition's unsettled ones; dropped when a duplicate or not ours. */
  receive(message: M, isOurs: (message: M) => boolean): void {
    const key = this.keyOf(message.topic, message.partition);
    if (!this.tracker.isAssigned(key) && isOurs(message)) this.tracker.assign(key);
    if (!this.tracker.add(key, message.offset)) return;
    const waiting = this.waiting.get(key);
    if (!waiting && this.tracker.unsettled(key) <= this.limit) {
      this.handOver(message, this.tracker.epoch(key)!);
      return;
    }
    if (waiting) waiting.push(message);
    else this.waiting.set(key, [message]);
    this.waits++;
  }

  /** A handed-over message settled: the commit position may move, and what waits may go. */
  settle(topic: string, partition: number, offset: bigint, epoch: number): void {
    const key = this.keyOf(topic, partition);
    this.tracker.settle(key, offset, epoch);
    const waiting = this.waiting.get(key);
    if (!waiting || this.tracker.epoch(key) !== epoch) return;
    let handed = 0;
    // handed over and unsettled = unsettled - still waiting
    while (waiting.length > handed && this.tracker.unsettled(key) - (waiting.length - handed) < this.limit) {
      this.handOver(waiting[handed]!, epoch);
      handed++;
    }
    waiting.splice(0, handed);
    this.waits -= handed;
    if (waiting.length === 0) this.waiting.delete(key);
  }

  /**
   * Drops every waiting message (fetching stopped). They stay unsettled in the tracker, so the
   * commit stops before the first of them: they are read again on the next start.
   */
  clearWaiting(): void {
    this.waiting.clear();
    this.waits = 0;
  }
}
