import type Redis from 'ioredis';
import type { Subscription } from 'rxjs';
import type { ModeContext } from '../TransportMode';
import type { StreamGroups } from './StreamGroups';
import { parseEntries, parseReadReply, StreamEntry } from './entryFields';
import { sameSlot } from '../keys';

/** What the reader needs from the streams mode. */
export interface ReaderHost {
  /** Hands an entry over; `deliveries` is its delivery count (1 for a fresh read). */
  handle(entry: StreamEntry, deliveries: number): void;
  /** Whether an entry is in flight or being settled here (recovery must not deliver it again). */
  isBusy(stream: string, id: string): boolean;
  /** Runs a recovery pass (re-read or claim), during which entries settled meanwhile still count as busy. */
  pass(run: () => Promise<void>): Promise<void>;
  /** Waits until fewer than `batchSize` entries are in flight. */
  slot(): Promise<void>;
  inFlightCount(): number;
  /** Periodic work between reads: due retries. */
  maintain(): Promise<void>;
}

/**
 * The consuming loop of streams mode, on its own connection (a blocked `XREADGROUP` would
 * hold up every other command). Each turn, in order, so that no entry is handed over twice:
 * after (re)connecting, re-create missing groups and re-read this consumer's own pending
 * entries (ID 0: delivered before a crash or a lost reply); now and then claim entries idle
 * longer than `claimIdleTime` (`XAUTOCLAIM`: their consumer died) and move due retries; then
 * a blocking read of new entries, at most `batchSize` in flight.
 */
export class StreamReader {
  private running = false;
  private stopped = false;
  private client?: Redis;
  private clientId?: number;
  private recover = true;
  /** The first turn reads before its maintenance (a prepared reader with nothing of its own pending). */
  private readFirst = false;
  private nextMaintenance = 0;
  private loop?: Promise<void>;
  private reconnected?: Subscription;
  private pause?: { timer: NodeJS.Timeout; resolve: () => void };

  constructor(
    private readonly ctx: ModeContext,
    private readonly groups: StreamGroups,
    private readonly host: ReaderHost,
  ) {}

  /**
   * Connects the reader ahead of `start` (a consumer's `connect`, after its groups exist) and
   * looks whether this consumer has entries of its own pending: when it has none, `start`
   * sends the first blocking read at once, before any other command (maintenance follows that
   * read). An instance thereby competes for entries from the moment its consuming started,
   * instead of a connection and a few commands later (a burst emitted at once went entirely to
   * the instances already reading).
   */
  async prepare(timeout: number): Promise<void> {
    const client = await this.ctx.openClient('reader', timeout);
    if (this.stopped) return void (await this.ctx.closeClient(client, true));
    this.attach(client);
    const { group, consumer, cluster } = this.ctx.options;
    if (!cluster) this.clientId = Number(await client.client('ID'));
    let own = false;
    for (const stream of this.groups.streams) if (!own) own = ((await client.xpending(stream, group, '-', '+', 1, consumer)) as unknown[]).length > 0;
    this.recover = own;
    this.readFirst = !own;
  }

  async start(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    if (this.client) return void (this.loop = this.run(this.client));
    this.recover = true;
    const client = await this.ctx.openClient('reader');
    if (!this.running) return void (await this.ctx.closeClient(client, true));
    this.attach(client);
    this.loop = this.run(client);
  }

  private attach(client: Redis): void {
    this.client = client;
    this.reconnected = this.ctx.status.reconnected$.subscribe(reconnected => {
      if (reconnected === client) this.recover = true;
    });
  }

  /** Wakes a blocked read so that the next one includes new streams. */
  async interrupt(): Promise<void> {
    if (this.clientId !== undefined) await this.ctx.command.client('UNBLOCK', this.clientId);
  }

  private async run(client: Redis): Promise<void> {
    while (this.running) {
      try {
        await this.turn(client);
      } catch (error) {
        if (!this.running) break;
        // NOGROUP: Redis lost the group (restart without persistence, stream deleted)
        if (!String((error as Error)?.message).includes('NOGROUP')) this.ctx.report(error);
        this.recover = true;
        await this.sleep(Math.min(1_000, this.ctx.options.blockTime));
      }
    }
  }

  private async turn(client: Redis): Promise<void> {
    const { group, consumer, batchSize, blockTime, claimIdleTime } = this.ctx.options;
    if (this.recover) {
      this.recover = false;
      // on a cluster the read goes to whichever node owns a stream: there is no one client to unblock
      if (!this.ctx.options.cluster) this.clientId = Number(await client.client('ID'));
      await this.groups.ensure(client);
      await this.host.pass(async () => {
        for (const stream of this.groups.streams) await this.recoverOwn(client, stream);
      });
    }
    const readFirst = this.readFirst;
    this.readFirst = false;
    if (!readFirst && Date.now() >= this.nextMaintenance) {
      this.nextMaintenance = Date.now() + Math.max(50, Math.min(claimIdleTime / 2, 5_000));
      await this.host.pass(async () => {
        for (const stream of this.groups.streams) await this.claim(client, stream);
      });
      await this.groups.discover(client);
      await this.host.maintain();
    }
    await this.host.slot();
    const count = batchSize - this.host.inFlightCount();
    if (!this.running || count <= 0) return;
    const read = (streams: readonly string[], block: number, most = count): Promise<StreamEntry[]> =>
      client
        .callBuffer('XREADGROUP', ['GROUP', group, consumer, 'COUNT', most, 'BLOCK', block, 'STREAMS', ...streams, ...streams.map(() => '>')])
        .then(parseReadReply);
    const bySlot = this.ctx.options.cluster ? slotGroups(this.groups.streams) : [this.groups.streams];
    let entries: StreamEntry[];
    if (bySlot.length === 1) entries = await read(bySlot[0], blockTime);
    else {
      // a cluster, streams in several slots: one read per slot (one key set per XREADGROUP),
      // blocking briefly each so that no stream waits for another's full blockTime
      entries = [];
      const block = Math.max(10, Math.min(blockTime, Math.floor(blockTime / bySlot.length), 100));
      for (const streams of bySlot) {
        if (entries.length >= count || !this.running) break;
        entries.push(...(await read(streams, entries.length ? 1 : block, count - entries.length)));
      }
    }
    // entries read after stop stay pending for this consumer: the next start re-reads them
    if (this.running) for (const entry of entries) this.host.handle(entry, 1);
  }

  /** Re-reads this consumer's pending entries of one stream, page by page. */
  private async recoverOwn(client: Redis, stream: string): Promise<void> {
    const { group, consumer, batchSize } = this.ctx.options;
    let after = '0';
    for (;;) {
      const reply = await client.callBuffer('XREADGROUP', ['GROUP', group, consumer, 'COUNT', batchSize, 'STREAMS', stream, after]);
      const entries = parseReadReply(reply);
      if (!entries.length || !this.running) return;
      await this.handOver(client, stream, entries);
      after = entries[entries.length - 1].id;
    }
  }

  /** Takes over entries idle longer than `claimIdleTime` (their consumer is gone). */
  private async claim(client: Redis, stream: string): Promise<void> {
    const { group, consumer, batchSize, claimIdleTime } = this.ctx.options;
    let cursor = '0-0';
    for (let page = 0; page < 10 && this.running; page++) {
      const reply = (await client.callBuffer('XAUTOCLAIM', [stream, group, consumer, claimIdleTime, cursor, 'COUNT', batchSize])) as [Buffer, Array<[Buffer, Buffer[] | null]>];
      await this.handOver(client, stream, parseEntries(stream, reply[1]));
      cursor = reply[0].toString('utf8');
      if (cursor === '0-0') return;
    }
  }

  /** Hands over recovered entries not already here, with their delivery counts. */
  private async handOver(client: Redis, stream: string, entries: StreamEntry[]): Promise<void> {
    const fresh = entries.filter(entry => !this.host.isBusy(stream, entry.id));
    if (!fresh.length) return;
    const { group, consumer } = this.ctx.options;
    const pending = (await client.xpending(stream, group, fresh[0].id, fresh[fresh.length - 1].id, fresh.length * 2, consumer)) as Array<[string, string, number, number]>;
    const deliveries = new Map(pending.map(([id, , , count]) => [id, Number(count)]));
    for (const entry of fresh) if (this.running) this.host.handle(entry, deliveries.get(entry.id) ?? 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.pause = undefined;
        resolve();
      }, ms);
      this.pause = { timer, resolve };
    });
  }

  /** Stops reading: wakes the loop and drops the reader connection (a blocked read ends with it). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    this.reconnected?.unsubscribe();
    if (this.pause) {
      clearTimeout(this.pause.timer);
      this.pause.resolve();
    }
    // also a prepared reader that never started
    const client = this.client;
    this.client = undefined;
    this.clientId = undefined;
    if (client) await this.ctx.closeClient(client, true);
    await this.loop?.catch(() => undefined);
  }
}

/** Streams grouped by the slot their keys certainly share (one `XREADGROUP` may read each group on a cluster). */
const slotGroups = (streams: readonly string[]): string[][] => {
  const groups: string[][] = [];
  for (const stream of streams) {
    const group = groups.find(candidate => sameSlot(candidate[0], stream));
    if (group) group.push(stream);
    else groups.push([stream]);
  }
  return groups;
};
