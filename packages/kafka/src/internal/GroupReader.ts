import type { TransportMessage } from '@tributary/messaging/transport';
import { PartitionFeed, partitionKey } from './PartitionFeed';
import { asError, kafkaClient } from './client';
import type { Kafka } from './client';
import { settleWithin } from './Clients';
import type { Clients } from './Clients';
import type { ResolvedKafkaOptions } from './resolveOptions';
import { fromRecord, readHeaders } from './wire';

/** What a handed-over message carries in `raw`: where it came from, and the assignment it belongs to. */
export interface KafkaRaw {
  readonly reader: GroupReader;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly epoch: number;
  readonly headers: Record<string, string>;
  readonly key?: string;
  readonly value: Buffer;
}

type Message = Kafka.Message<string, Buffer, string, string>;
type Stream = Kafka.MessagesStream<string, Buffer, string, string>;

/** How a reader starts, and what it tells its owner. */
export interface GroupReaderConfig {
  readonly groupId: string;
  /** The topics to read (may change, see `setTopics`). */
  readonly topics: string[];
  /** Where a partition without a committed offset starts. */
  readonly startFrom: 'earliest' | 'latest' | { timestamp: number };
  readonly deliver: (message: TransportMessage) => void;
  readonly report: (error: Error) => void;
  readonly status: (connected: boolean) => void;
}

/**
 * One consumer group member: reads its topics' assigned partitions, hands messages over in
 * partition order (at most `maxInFlightPerPartition` unsettled per partition; beyond that they
 * wait here, and fetching pauses while too many wait), and commits each partition only up to
 * its contiguous settled prefix (`OffsetTracker`), every `commitInterval` ms.
 *
 * Rebalance: partitions that stay assigned keep their bookkeeping; revoked partitions are
 * abandoned (their unsettled messages are not committed here, the next owner reads them again
 * from the last commit: at-least-once, never lost).
 */
export class GroupReader {
  private readonly feed: PartitionFeed<Message>;
  private consumer?: Kafka.Consumer<string, Buffer, string, string>;
  private stream?: Stream;
  private topics: string[];
  private commitTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private committing: Promise<void> = Promise.resolve();
  private stopped = false;
  private flowing = false;
  private restarting?: Promise<void>;

  constructor(
    private readonly clients: Clients,
    private readonly options: ResolvedKafkaOptions,
    private readonly config: GroupReaderConfig,
  ) {
    this.topics = [...config.topics];
    this.feed = new PartitionFeed<Message>(options.maxInFlightPerPartition, (message, epoch) => this.handOver(message, epoch));
  }

  private get waitLimit(): number {
    return this.options.maxInFlightPerPartition * 4;
  }

  /** Creates the group member (without joining yet) and sets where new partitions start; before `start`. */
  async prepare(): Promise<void> {
    if (this.consumer) return;
    const { Consumer, stringDeserializers } = kafkaClient();
    const consumer = new Consumer({
      ...(this.clients.base(`consumer-${this.config.groupId}`) as object),
      groupId: this.config.groupId,
      sessionTimeout: this.options.sessionTimeout,
      // a joining instance waits for the others to notice the rebalance at their next heartbeat
      heartbeatInterval: Math.max(300, Math.min(1_000, Math.floor(this.options.sessionTimeout / 10))),
      rebalanceTimeout: Math.max(this.options.sessionTimeout, 30_000),
      maxWaitTime: 500,
      highWaterMark: Math.max(64, this.options.maxInFlightPerPartition),
      deserializers: { key: stringDeserializers.key, headerKey: stringDeserializers.headerKey, headerValue: stringDeserializers.headerValue },
    } as any) as unknown as Kafka.Consumer<string, Buffer, string, string>;
    this.consumer = consumer;
    consumer.on('consumer:group:join', (payload: { assignments?: Array<{ topic: string; partitions: number[] }> }) => this.assigned(payload.assignments ?? []));
    consumer.on('client:broker:disconnect', () => this.config.status(false));
    consumer.on('client:broker:connect', () => this.config.status(true));
    consumer.on('error', (error: unknown) => this.config.report(asError(error)));
    await this.prepareOffsets(this.topics);
  }

  /** Joins the group and opens its stream, without fetching yet (see `flow`). */
  async start(): Promise<void> {
    await this.prepare();
    await this.consume();
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitInterval);
  }

  /** For partitions without a committed offset: commit where `startFrom` says to start (latest / timestamp). */
  private async prepareOffsets(topics: string[]): Promise<void> {
    const { startFrom } = this.config;
    if (startFrom === 'earliest' || topics.length === 0) return;
    const admin = this.clients.getAdmin();
    const [group] = await admin.listConsumerGroupOffsets({ groups: [this.config.groupId] });
    const committed = new Set<string>();
    for (const t of group?.topics ?? []) for (const p of t.partitions) if (p.committedOffset >= 0n) committed.add(partitionKey(t.name, p.partitionIndex));
    const timestamp = startFrom === 'latest' ? -1n : BigInt(Math.floor(startFrom.timestamp));
    const listed = await this.consumer!.listOffsets({ topics, timestamp });
    const ends = startFrom === 'latest' ? listed : await this.consumer!.listOffsets({ topics, timestamp: -1n });
    const alter: Array<{ name: string; partitionOffsets: Array<{ partition: number; offset: bigint }> }> = [];
    for (const [topic, offsets] of listed) {
      const partitionOffsets = offsets
        .map((offset, partition) => ({ partition, offset: offset >= 0n ? offset : (ends.get(topic)?.[partition] ?? 0n) }))
        .filter(({ partition }) => !committed.has(partitionKey(topic, partition)));
      if (partitionOffsets.length) alter.push({ name: topic, partitionOffsets });
    }
    if (alter.length === 0) return;
    // fails when another instance is already in the group: it set the same start positions
    await admin.alterConsumerGroupOffsets({ groupId: this.config.groupId, topics: alter }).catch(() => undefined);
  }

  private async consume(): Promise<void> {
    const { MessagesStreamModes, MessagesStreamFallbackModes } = kafkaClient();
    if (this.topics.length === 0 || this.stopped) return;
    const stream = (await this.consumer!.consume({
      topics: this.topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
      maxWaitTime: 500,
    } as any)) as Stream;
    if (this.stopped) {
      await stream.close().catch(() => undefined);
      return;
    }
    this.stream = stream;
    if (this.flowing) stream.on('data', (message: Message) => this.receive(message));
    stream.on('error', (error: unknown) => {
      if (this.stream !== stream || this.stopped) return;
      this.config.report(asError(error));
      this.config.status(false);
      this.scheduleRestart(stream);
    });
    this.assigned(this.consumer!.assignments ?? []);
  }

  /** Starts fetching and handing messages over. */
  flow(): void {
    if (this.flowing) return;
    this.flowing = true;
    this.stream?.on('data', (message: Message) => this.receive(message));
  }

  /** A stream that failed (broker gone for longer than the client retries): a new one, later. */
  private scheduleRestart(old: Stream): void {
    this.stream = undefined;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restarting = (async () => {
        await old.close().catch(() => undefined);
        await this.consume();
        this.config.status(true);
      })().catch(error => {
        this.config.report(asError(error));
        if (!this.stopped) this.scheduleRestart(old);
      });
    }, 1_000);
  }

  /** Reads other topics from now on (a `subscribe` pattern matched new ones). */
  async setTopics(topics: string[]): Promise<void> {
    const added = topics.filter(t => !this.topics.includes(t));
    if (added.length === 0 || this.stopped) return;
    this.topics = [...new Set([...this.topics, ...added])];
    // topics that appeared after this service started: read them from their beginning
    const old = this.stream;
    this.stream = undefined;
    if (old) await old.close().catch(() => undefined);
    await this.consume();
  }

  /** The group's assignment changed: revoked partitions are abandoned, new ones tracked. */
  private assigned(assignments: ReadonlyArray<{ topic: string; partitions: number[] }>): void {
    const now = new Set<string>();
    for (const { topic, partitions } of assignments) for (const p of partitions) now.add(partitionKey(topic, p));
    this.feed.assigned(now);
    this.flowControl();
  }


  /** Whether the group assigned a message's partition to this member (asked only for a partition not tracked yet). */
  private readonly isOurs = (message: Message): boolean =>
    this.consumer?.assignments?.some(a => a.topic === message.topic && a.partitions.includes(message.partition)) ?? false;

  private receive(message: Message): void {
    this.feed.receive(message, this.isOurs);
    this.flowControl();
  }


  private handOver(message: Message, epoch: number): void {
    const headers = readHeaders(message.headerEntries ?? message.headers);
    const value = message.value ?? Buffer.alloc(0);
    const raw: KafkaRaw = {
      reader: this,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      epoch,
      headers,
      key: message.key || undefined,
      value,
    };
    this.config.deliver(fromRecord(value, raw.key, headers, raw));
  }

  /** A handed-over message is settled (acknowledged, dead-lettered): it may move the commit position. */
  settle(raw: KafkaRaw): void {
    this.feed.settle(raw.topic, raw.partition, raw.offset, raw.epoch);
    this.flowControl();
  }


  /** Pauses fetching while too many messages wait, resumes below half of it. */
  private flowControl(): void {
    const stream = this.stream;
    if (!stream) return;
    const waiting = this.feed.waitingCount;
    if (waiting >= this.waitLimit && !stream.isPaused()) stream.pause();
    else if (waiting < this.waitLimit / 2 && stream.isPaused() && !this.stopped) stream.resume();
  }

  /** Commits the partitions whose contiguous settled prefix moved. */
  commit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const consumer = this.consumer;
      if (!consumer) return;
      const commits = this.feed.tracker.takeCommits();
      if (commits.length === 0) return;
      const offsets = commits.map(({ partition, offset }) => {
        const at = partition.lastIndexOf(':');
        return { topic: partition.slice(0, at), partition: Number(partition.slice(at + 1)), offset, leaderEpoch: -1 };
      });
      try {
        await consumer.commit({ offsets });
      } catch (error) {
        // the positions stay due: the next round commits them (or, after a rebalance, the next owner re-reads)
        this.feed.tracker.restore(commits);
        if (!this.stopped) this.config.report(asError(error));
      }
    });
    return this.committing;
  }



  /** Stops fetching (handed-over messages can still be settled and committed). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.restarting?.catch(() => undefined);
    const stream = this.stream;
    this.stream = undefined;
    this.feed.clearWaiting();
    if (stream) await settleWithin(stream.close());
  }

  /** Stops, commits what settled, leaves the group. */
  async close(): Promise<void> {
    await this.stop();
    clearInterval(this.commitTimer);
    await settleWithin(this.commit());
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await settleWithin(consumer.close(true));
  }
}
