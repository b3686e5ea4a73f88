import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { MsgHdrs, NatsConnection as NatsClient } from '@nats-io/transport-node';
import { DeadLetterDestinationNotFoundError, DEAD_LETTER_HEADERS } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { NatsTopologyError } from '../errors';
import { openClient } from './connect';
import { HEADER, userHeaders } from './headers';
import { Publisher } from './Publisher';
import type { ResolvedNatsOptions } from './resolveOptions';
import { Topology } from './Topology';

/** The headers a dead letter has and its redrive drops: the error ones (and NATS's own, set again). */
const DROPPED = new Set<string>([...DEAD_LETTER_HEADERS, HEADER.originalSubject, HEADER.messageId, HEADER.originalId].map(h => h.toLowerCase()));

const text = (h: MsgHdrs | undefined, key: string): string | undefined => (h?.has(key) ? h.get(key) : undefined);

const number = (value: string | undefined): number | undefined => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
};

const typeOf = (h: MsgHdrs | undefined, data: Uint8Array): string | undefined => {
  const type = text(h, HEADER.type);
  if (type !== undefined) return type;
  try {
    const body = JSON.parse(Buffer.from(data).toString('utf8')) as { type?: unknown };
    return typeof body?.type === 'string' ? body.type : undefined;
  } catch {
    return undefined;
  }
};

const isNotFound = (error: unknown): boolean => /not found|no stream matches/i.test(String((error as Error)?.message));

/** A listed letter: the stored message behind it. */
interface Held {
  readonly seq: number;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  readonly stored: number;
}

/**
 * The dead-letter stream of a NATS service (`<channel>.dead-letter`) as a `DeadLetterStore`.
 *
 * - `list` reads the stream with an ordered (ephemeral, unacknowledged) consumer, oldest
 *   first, up to the last sequence there was when the store opened; nothing is removed.
 * - `move` publishes the letter to the service subject with its original headers (the error
 *   ones removed), waits for the JetStream acknowledgement, then deletes that sequence from
 *   the dead-letter stream. It publishes under a `Nats-Msg-Id` of its own,
 *   `redrive:<stream>:<seq>:<stored at>` (the original id goes in `x-message-id`, read back as
 *   `metadata.id`): the original id may still be in the service stream's duplicate window, and
 *   a retried move is then dropped as a duplicate by the server instead of sent twice.
 * - A crash between the acknowledgement and the delete leaves the letter in both places.
 */
export class NatsDeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly held = new Map<DeadLetter, Held>();
  private readonly js: JetStreamClient;
  private readonly publisher: Publisher;
  private consumer?: Consumer;
  /** Messages left to read (up to `last`): the stream's count at open, then the consumer's `pending`. */
  private remaining: number;
  private done: boolean;

  private constructor(
    private readonly nc: NatsClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly first: number,
    private readonly last: number,
    count: number,
    private readonly options: ResolvedNatsOptions,
    topology: Topology,
  ) {
    this.destination = `${(options.deadLetter as { subject: string }).subject} (stream ${stream})`;
    this.target = options.channel;
    this.js = jetstream(nc);
    this.publisher = new Publisher(this.js, options, () => topology.serviceStream(options.channel).then(() => undefined));
    this.remaining = count;
    this.done = count === 0;
  }

  static async open(options: ResolvedNatsOptions): Promise<NatsDeadLetters> {
    const dl = options.deadLetter;
    if (!dl) throw new DeadLetterDestinationNotFoundError(`${options.channel}.dead-letter (deadLetter: false)`, options.host);
    const nc = await openClient(options, options.name ?? `tributary dead letters ${options.channel}`, { attempt: 0 });
    try {
      const jsm = await jetstreamManager(nc).catch(error => {
        throw new NatsTopologyError('the JetStream API', error);
      });
      const stream = await (dl.stream ? jsm.streams.info(dl.stream).then(info => info.config.name) : jsm.streams.find(dl.subject)).catch(error => {
        if (isNotFound(error)) throw new DeadLetterDestinationNotFoundError(dl.stream ? `${dl.subject} (stream ${dl.stream})` : dl.subject, options.host);
        throw new NatsTopologyError(`the dead-letter stream of "${dl.subject}"`, error);
      });
      const { state } = await jsm.streams.info(stream);
      const topology = new Topology(jsm, options);
      // the service stream must be there for the resends (created as emit would)
      await topology.serviceStream(options.channel);
      return new NatsDeadLetters(nc, jsm, stream, state.first_seq, state.last_seq, state.messages, options, topology);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  async list({ limit }: { limit: number }): Promise<DeadLetter[]> {
    if (this.done || limit <= 0) return [];
    this.consumer ??= await this.js.consumers.get(this.stream, { filter_subjects: (this.options.deadLetter as { subject: string }).subject, opt_start_seq: this.first });
    const letters: DeadLetter[] = [];
    const wanted = Math.min(limit, Math.max(1, this.remaining));
    const batch = await this.consumer.fetch({ max_messages: wanted, expires: Math.max(1_000, Math.min(this.options.timeout, 5_000)) });
    let read = 0;
    for await (const msg of batch) {
      read++;
      this.remaining = msg.info.pending;
      if (msg.seq > this.last) {
        // dead-lettered after the store opened (a redriven letter that failed again): not this run's
        this.done = true;
        continue;
      }
      letters.push(this.letter(msg));
      if (msg.seq === this.last || msg.info.pending === 0) this.done = true;
    }
    if (read < wanted) this.done = true;
    return letters;
  }

  async move(letter: DeadLetter): Promise<void> {
    const held = this.held.get(letter);
    if (!held) throw new Error(`Dead letter ${letter.id} was not listed by this store, or was moved already.`);
    this.held.delete(letter);
    try {
      await this.publisher.publish(this.options.channel, held.data, this.resendHeaders(held));
    } catch (error) {
      this.held.set(letter, held);
      throw error;
    }
    // the resend is stored: the letter goes (already gone: another redrive moved it, and the id kept it single)
    await this.jsm.streams.deleteMessage(this.stream, held.seq, false).catch(error => {
      if (!isNotFound(error)) throw error;
    });
  }

  async close(): Promise<void> {
    this.held.clear();
    this.publisher.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>(resolve => (timer = setTimeout(resolve, Math.min(this.options.timeout, 5_000))));
    await Promise.race([this.nc.drain().catch(() => this.nc.close()), bound]);
    clearTimeout(timer);
    if (!this.nc.isClosed()) await this.nc.close().catch(() => undefined);
  }

  /** The original headers without the dead-letter ones; a redrive id of its own, the original id beside it. */
  private resendHeaders(held: Held): MsgHdrs {
    const h = natsHeaders();
    const original = held.headers;
    if (original) for (const key of original.keys()) if (!DROPPED.has(key.toLowerCase())) for (const value of original.values(key)) h.append(key, value);
    const id = text(original, HEADER.originalId) ?? text(original, HEADER.messageId);
    if (id !== undefined) h.set(HEADER.originalId, id);
    h.set(HEADER.messageId, `redrive:${this.stream}:${held.seq}:${held.stored}`);
    return h;
  }

  private letter(msg: JsMsg): DeadLetter {
    const h = msg.headers;
    const letter: DeadLetter = {
      id: String(msg.seq),
      messageId: text(h, HEADER.originalId) ?? text(h, HEADER.messageId),
      type: typeOf(h, msg.data),
      reason: text(h, HEADER.reason),
      errorName: text(h, HEADER.errorName),
      errorMessage: text(h, HEADER.errorMessage),
      attempts: number(text(h, HEADER.attempts)),
      headers: userHeaders(h),
      deadLetteredAt: Math.floor(msg.info.timestampNanos / 1e6),
      source: text(h, HEADER.originalSubject),
      data: Buffer.from(msg.data),
    };
    this.held.set(letter, { seq: msg.seq, data: msg.data, headers: h, stored: msg.info.timestampNanos });
    return letter;
  }
}
