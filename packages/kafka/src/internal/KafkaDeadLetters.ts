import { randomUUID } from 'node:crypto';
import { BrokerUnavailableError, DEAD_LETTER_HEADERS, DeadLetterDestinationNotFoundError } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { asError, kafkaClient } from './client';
import type { Kafka } from './client';
import { Clients, settleWithin, within } from './Clients';
import type { OutgoingRecord } from './Clients';
import type { ResolvedKafkaOptions } from './resolveOptions';
import { DEAD_LETTER_HEADER, HEADER, readHeaders } from './wire';

type Message = Kafka.Message<string, Buffer, string, string>;

/** Where a redriven record came from, `<topic>/<partition>/<offset>` (as `tributary.replayed-from`). */
const REDRIVEN_FROM = 'tributary.redriven-from';
/** When a letter was dead-lettered, set on a letter written again at the back (its record time is then new). */
const DEAD_LETTERED_AT = 'x-dead-lettered-at';
/** What a redrive leaves out: the dead-letter headers and the delivery count. */
const DROPPED = new Set<string>([...DEAD_LETTER_HEADERS, HEADER.attempt]);
/** Headers the transport sets (as `fromRecord` leaves them out of the user's). */
const TRANSPORT = new Set<string>([...Object.values(DEAD_LETTER_HEADER), DEAD_LETTERED_AT]);
const isUserHeader = (name: string): boolean => !name.startsWith('tributary.') && !TRANSPORT.has(name);
/** Records read ahead of `list` at most (the stream pauses beyond). */
const READ_AHEAD = 1_000;

/** The group recording how far the dead letters of `topic` were redriven. */
export const redriveGroup = (deadLetterTopic: string): string => `${deadLetterTopic}.redrive`;

/** One partition of the dead-letter topic: what is left to read, and what is done. */
interface PartitionState {
  /** Reading ends here: the end of the log when the store opened. */
  readonly end: bigint;
  /** The next offset to list: a record before it was listed already (the stream may hand it again, after a rejoin). */
  next: bigint;
  /** Where the group's committed offset is (every record before it moved). */
  committed: bigint;
  /** The offset to commit next: before it, every letter moved (or written again at the back). */
  done: bigint;
  /** Listed letters not moved yet, in offset order. */
  readonly listed: bigint[];
  /** Moved letters past `done` (a letter before them not moved). */
  readonly moved: Set<bigint>;
  /** The whole range was read. */
  read: boolean;
}

interface Listed {
  readonly message: Message;
  readonly headers: Record<string, string>;
  /** Being produced, or produced: a second `move` of it is refused. */
  taken: boolean;
}

const num = (value: string | undefined): number | undefined => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
};

const typeOf = (headers: Record<string, string>, value: Buffer | undefined): string | undefined => {
  if (headers[HEADER.type] !== undefined) return headers[HEADER.type];
  try {
    const body = JSON.parse((value ?? Buffer.alloc(0)).toString('utf8')) as { type?: unknown };
    return typeof body?.type === 'string' ? body.type : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The dead-letter topic of a Kafka service, `<topic>.dead-letter`, as a `DeadLetterStore`. A
 * Kafka log cannot delete one record: the consumer group `<topic>.dead-letter.redrive`
 * records how far letters were moved, the Kafka way, and only what is past its committed
 * offsets is a dead letter still.
 *
 * - `list` reads each partition from that group's committed offset (the log start when it
 *   has none) up to the end the log had when the store opened, through a throwaway group of
 *   its own (`<topic>.dead-letter.list.<uuid>`, deleted on close), in partition order.
 * - `move` produces the letter to the service topic (acks=all) with its key, value and headers,
 *   minus the dead-letter ones and `tributary.attempt`, plus `tributary.redriven-from`; then
 *   commits the group past it when every letter before it in its partition moved too.
 * - A moved letter after one that was not (a filtered redrive skipped it) cannot be committed
 *   past on its own: on close, the skipped letters before it are written again at the end of
 *   their partition (unchanged, plus `x-dead-lettered-at`), and then the group is committed past
 *   the moved one. They stay dead letters, at the back; a crash in between may leave a letter
 *   twice, never lose one.
 */
export class KafkaDeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly group: string;
  private readonly buffer: Message[] = [];
  private readonly listed = new Map<DeadLetter, Listed>();
  private readonly byOffset = new Map<string, Listed>();
  private consumer?: Kafka.Consumer<string, Buffer, string, string>;
  private stream?: Kafka.MessagesStream<string, Buffer, string, string>;
  private readingGroup?: string;
  private arrived?: () => void;
  private failure?: Error;
  private running?: Promise<void>;
  private queued?: Promise<void>;

  private constructor(
    private readonly clients: Clients,
    private readonly options: ResolvedKafkaOptions,
    private readonly partitions: Map<number, PartitionState>,
  ) {
    this.destination = `${options.topic}.dead-letter`;
    this.target = options.topic;
    this.group = redriveGroup(this.destination);
  }

  static async open(options: ResolvedKafkaOptions): Promise<KafkaDeadLetters> {
    const clients = new Clients(options);
    try {
      await clients.connect();
      const topic = `${options.topic}.dead-letter`;
      const found = await within(clients.listTopics(), options.timeout, options.address);
      if (!found.includes(topic)) {
        // made with the first dead letter: a service that never dead-lettered has none yet
        if (found.includes(options.topic)) return new KafkaDeadLetters(clients, options, new Map());
        throw new DeadLetterDestinationNotFoundError(topic, options.address);
      }
      const admin = clients.getAdmin();
      const metadata = await within(admin.metadata({ topics: [topic] }), options.timeout, options.address);
      const count = metadata.topics.get(topic)?.partitionsCount ?? 1;
      const indexes = Array.from({ length: count }, (_, i) => i);
      const offsets = async (timestamp: bigint): Promise<Map<number, bigint>> => {
        const [listed] = await within(admin.listOffsets({ topics: [{ name: topic, partitions: indexes.map(partitionIndex => ({ partitionIndex, timestamp })) }] }), options.timeout, options.address);
        return new Map((listed?.partitions ?? []).map(p => [p.partitionIndex, p.offset]));
      };
      const [starts, ends] = [await offsets(-2n), await offsets(-1n)];
      const [group] = await within(
        admin.listConsumerGroupOffsets({ groups: [{ groupId: redriveGroup(topic), topics: [{ name: topic, partitionIndexes: indexes }] }] }),
        options.timeout,
        options.address,
      );
      const committed = new Map<number, bigint>();
      for (const t of group?.topics ?? []) for (const p of t.partitions) if (p.committedOffset >= 0n) committed.set(p.partitionIndex, p.committedOffset);
      const partitions = new Map<number, PartitionState>();
      for (const partition of indexes) {
        const logStart = starts.get(partition) ?? 0n;
        const end = ends.get(partition) ?? 0n;
        const from = committed.get(partition) ?? logStart;
        // letters removed by retention are gone: start at the log start then
        const start = from > logStart ? from : logStart;
        partitions.set(partition, { end, next: start, committed: from, done: start, listed: [], moved: new Set(), read: start >= end });
      }
      return new KafkaDeadLetters(clients, options, partitions);
    } catch (error) {
      await clients.close();
      throw error;
    }
  }

  async list({ limit }: { limit: number }): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    if (limit <= 0 || this.allRead()) return letters;
    await this.startReading();
    const deadline = Date.now() + this.options.timeout;
    while (letters.length < limit && !this.allRead()) {
      if (this.failure) throw this.failure;
      const message = this.buffer.shift();
      if (!message) {
        if (letters.length > 0) break;
        if (Date.now() > deadline) throw new BrokerUnavailableError(this.options.address, this.options.timeout);
        await this.next(deadline - Date.now());
        continue;
      }
      if (this.buffer.length < READ_AHEAD / 2) this.stream?.resume();
      const state = this.partitions.get(message.partition);
      if (!state || state.read || message.offset < state.next) continue;
      if (message.offset >= state.end) {
        state.read = true;
        continue;
      }
      if (message.offset + 1n >= state.end) state.read = true;
      letters.push(this.letter(message, state));
    }
    return letters;
  }

  async move(letter: DeadLetter): Promise<void> {
    const entry = this.listed.get(letter);
    if (!entry || entry.taken) throw new Error(`Dead letter ${letter.id} was not listed by this store, or was moved already.`);
    const { message, headers } = entry;
    const resend: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!DROPPED.has(name)) resend[name] = value;
    resend[REDRIVEN_FROM] = `${message.topic}/${message.partition}/${message.offset}`;
    entry.taken = true;
    try {
      await this.clients.produce([{ topic: this.target, key: message.key || undefined, value: message.value ?? Buffer.alloc(0), headers: resend }]);
    } catch (error) {
      entry.taken = false;
      throw error;
    }
    const state = this.partitions.get(message.partition)!;
    state.moved.add(message.offset);
    while (state.listed.length > 0 && state.moved.has(state.listed[0])) {
      const offset = state.listed.shift()!;
      state.moved.delete(offset);
      state.done = offset + 1n;
    }
    // recorded once the group is committed past it (a letter after a skipped one: on close)
    if (state.done > message.offset) await this.commit();
  }

  async close(): Promise<void> {
    try {
      await this.stopReading();
      await this.writeSkippedAtTheBack();
      await this.commit();
    } finally {
      if (this.readingGroup) {
        await settleWithin(this.clients.getAdmin().deleteGroups({ groups: [this.readingGroup] }));
      }
      this.listed.clear();
      this.byOffset.clear();
      await this.clients.close();
    }
  }

  /**
   * Commits the group up to every partition's `done`: one commit at a time; the callers that
   * come while one runs share the next, which takes the offsets as they are when it starts.
   */
  private commit(): Promise<void> {
    if (this.queued) return this.queued;
    const after = this.running?.catch(() => undefined) ?? Promise.resolve();
    const run: Promise<void> = after.then(() => {
      this.queued = undefined;
      this.running = run;
      return this.commitNow();
    });
    this.queued = run;
    return run;
  }

  private async commitNow(): Promise<void> {
    const partitionOffsets = [...this.partitions].filter(([, state]) => state.done > state.committed).map(([partition, state]) => ({ partition, offset: state.done }));
    if (partitionOffsets.length === 0) return;
    await within(
      this.clients.getAdmin().alterConsumerGroupOffsets({ groupId: this.group, topics: [{ name: this.destination, partitionOffsets }] }),
      this.options.timeout,
      this.options.address,
    ).catch(error => {
      throw new Error(
        `The resend is on "${this.target}", but the consumer group "${this.group}" could not record it (${asError(error).message}): ` +
          'a later redrive may send it again. Is another redrive of this topic running? (one at a time)',
        { cause: error },
      );
    });
    for (const { partition, offset } of partitionOffsets) {
      const state = this.partitions.get(partition)!;
      if (offset > state.committed) state.committed = offset;
    }
  }

  /**
   * For each partition where a letter moved after one that did not: the letters before the last
   * moved one that were not moved are produced again at the end of the partition (the broker has
   * them: acks=all), and only then `done` passes the moved one.
   */
  private async writeSkippedAtTheBack(): Promise<void> {
    for (const [partition, state] of this.partitions) {
      if (state.moved.size === 0) continue;
      const last = [...state.moved].reduce((a, b) => (a > b ? a : b));
      const skipped = state.listed.filter(offset => offset < last && !state.moved.has(offset));
      const records: OutgoingRecord[] = skipped.map(offset => {
        const { message, headers } = this.byOffset.get(`${partition}/${offset}`)!;
        return {
          topic: this.destination,
          partition,
          key: message.key || undefined,
          value: message.value ?? Buffer.alloc(0),
          headers: { [DEAD_LETTERED_AT]: String(message.timestamp), ...headers },
        };
      });
      if (records.length) await this.clients.produce(records);
      state.done = last + 1n;
      state.moved.clear();
      state.listed.splice(0, state.listed.length, ...state.listed.filter(offset => offset > last));
    }
  }

  private allRead(): boolean {
    for (const state of this.partitions.values()) if (!state.read) return false;
    return true;
  }

  private async startReading(): Promise<void> {
    if (this.stream) return;
    const { Consumer, MessagesStreamModes, stringDeserializers } = kafkaClient();
    this.readingGroup = `${this.destination}.list.${randomUUID()}`;
    const consumer = new Consumer({
      ...(this.clients.base('dead-letters') as object),
      groupId: this.readingGroup,
      maxWaitTime: 200,
      deserializers: { key: stringDeserializers.key, headerKey: stringDeserializers.headerKey, headerValue: stringDeserializers.headerValue },
    } as any) as unknown as Kafka.Consumer<string, Buffer, string, string>;
    this.consumer = consumer;
    consumer.on('error', (error: unknown) => (this.failure ??= asError(error)));
    const offsets = [...this.partitions].filter(([, state]) => !state.read).map(([partition, state]) => ({ topic: this.destination, partition, offset: state.done }));
    const stream = await within(
      consumer.consume({ topics: [this.destination], mode: MessagesStreamModes.MANUAL, offsets, autocommit: false } as any),
      this.options.timeout,
      this.options.address,
    );
    this.stream = stream;
    stream.on('error', (error: unknown) => {
      this.failure ??= asError(error);
      this.arrived?.();
    });
    stream.on('data', (message: Message) => {
      this.buffer.push(message);
      if (this.buffer.length >= READ_AHEAD) stream.pause();
      this.arrived?.();
    });
  }

  private async stopReading(): Promise<void> {
    await settleWithin(this.stream?.close());
    await settleWithin(this.consumer?.close(true));
    this.stream = undefined;
    this.consumer = undefined;
  }

  /** Waits for a record (or a failure), `ms` at most. */
  private async next(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>(resolve => {
      this.arrived = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    });
    clearTimeout(timer);
    this.arrived = undefined;
  }

  private letter(message: Message, state: PartitionState): DeadLetter {
    const headers = readHeaders(message.headerEntries);
    const user: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (isUserHeader(name)) user[name] = value;
    const letter: DeadLetter = {
      id: `${message.partition}/${message.offset}`,
      messageId: headers[HEADER.id],
      type: typeOf(headers, message.value),
      reason: headers[DEAD_LETTER_HEADER.reason],
      errorName: headers[DEAD_LETTER_HEADER.errorName],
      errorMessage: headers[DEAD_LETTER_HEADER.errorMessage],
      attempts: num(headers[DEAD_LETTER_HEADER.attempts]),
      headers: user,
      deadLetteredAt: num(headers[DEAD_LETTERED_AT]) ?? Number(message.timestamp),
      source: headers[DEAD_LETTER_HEADER.originalTopic],
      data: message.value ?? Buffer.alloc(0),
    };
    const entry: Listed = { message, headers, taken: false };
    this.listed.set(letter, entry);
    this.byOffset.set(letter.id, entry);
    state.listed.push(message.offset);
    state.next = message.offset + 1n;
    return letter;
  }
}
