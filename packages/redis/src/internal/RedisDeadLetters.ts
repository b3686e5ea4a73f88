import type Redis from 'ioredis';
import { CoreError } from '@tributary/core';
import { DeadLetterDestinationNotFoundError, withoutDeadLetterHeaders } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { createClient, orUnavailable, whenReady } from './clients';
import { xaddArgs } from './deadLetterFields';
import { toEntryFields } from './streams/entryFields';
import type { ResolvedRedisOptions } from './resolveOptions';

/** A dead-letter entry: its id and fields (`data` as bytes, the others as text). */
interface Entry {
  readonly id: string;
  readonly data?: Buffer;
  readonly fields: Record<string, string>;
}

const json = (text: string | undefined): any => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const strings = (value: unknown): Record<string, string> | undefined => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) if (typeof v === 'string') out[name] = v;
  return out;
};

const parseRange = (reply: unknown): Entry[] =>
  ((reply as Array<[Buffer, Buffer[]]> | null) ?? []).map(([id, flat]) => {
    const fields: Record<string, string> = {};
    let data: Buffer | undefined;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const name = flat[i].toString('utf8');
      if (name === 'data') data = flat[i + 1];
      else fields[name] = flat[i + 1].toString('utf8');
    }
    return { id: id.toString('utf8'), data, fields };
  });

const toDeadLetter = (entry: Entry): DeadLetter => {
  const { fields } = entry;
  const envelope = entry.data ? json(entry.data.toString('utf8')) : undefined;
  const headers = strings(json(fields.headers)) ?? strings(envelope?.metadata?.headers) ?? {};
  const number = (text: string | undefined): number | undefined => (text !== undefined && Number.isFinite(Number(text)) ? Number(text) : undefined);
  return {
    id: entry.id,
    messageId: fields.id ?? (typeof envelope?.metadata?.id === 'string' ? envelope.metadata.id : undefined),
    type: fields.type ?? (typeof envelope?.type === 'string' ? envelope.type : undefined),
    reason: fields.reason,
    errorName: fields.errorName,
    errorMessage: fields.errorMessage,
    attempts: number(fields.attempts),
    headers: withoutDeadLetterHeaders(headers),
    deadLetteredAt: number(fields.deadLetteredAt),
    source: fields.source,
    data: entry.data ?? Buffer.from(fields.original ?? '', 'utf8'),
  };
};

/**
 * The dead-letter stream of a Redis service as a `DeadLetterStore`: `list` reads it with
 * `XRANGE`, oldest first, up to the last entry there was when it opened; `move` writes the
 * original entry again to the service's stream (`XADD`, no `attempt` field: attempt 1; the
 * envelope keeps its headers) and, once Redis replied, deletes the dead letter (`XDEL`). In
 * pubsub mode it `PUBLISH`es the envelope and deletes only when a subscriber received it.
 */
export class RedisDeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly listed = new Map<DeadLetter, Entry>();
  private after = '-';

  private constructor(
    private readonly client: Redis,
    private readonly options: ResolvedRedisOptions,
    private readonly last: string | undefined,
  ) {
    this.destination = (options.deadLetter as { stream: string }).stream;
    this.target = options.keys.channel;
  }

  static async open(options: ResolvedRedisOptions): Promise<RedisDeadLetters> {
    if (options.deadLetter === false) throw new DeadLetterDestinationNotFoundError(`${options.channel} (deadLetter: false)`, options.address);
    const client = createClient(options, 'command');
    client.on('error', () => undefined);
    try {
      await whenReady(client, options.timeout, options.address);
      const newest = await client.xrevrangeBuffer(options.deadLetter.stream, '+', '-', 'COUNT', 1);
      return new RedisDeadLetters(client, options, newest[0]?.[0].toString('utf8'));
    } catch (error) {
      client.disconnect();
      throw error;
    }
  }

  async list({ limit }: { limit: number }): Promise<DeadLetter[]> {
    if (this.last === undefined || limit <= 0 || this.after === this.last) return [];
    const start = this.after === '-' ? '-' : `(${this.after}`;
    const reply = await this.command(() => this.client.xrangeBuffer(this.destination, start, this.last!, 'COUNT', limit));
    const entries = parseRange(reply);
    if (entries.length === 0) this.after = this.last;
    else this.after = entries[entries.length - 1].id;
    return entries.map(entry => {
      const letter = toDeadLetter(entry);
      this.listed.set(letter, entry);
      return letter;
    });
  }

  async move(letter: DeadLetter): Promise<void> {
    const entry = this.listed.get(letter);
    if (!entry) throw new Error(`Dead letter ${letter.id} was not listed by this store, or was moved already.`);
    this.listed.delete(letter);
    try {
      if (this.options.mode === 'pubsub') {
        const receivers = await this.command(() => this.client.publish(this.target, entry.data ?? Buffer.alloc(0)));
        if (receivers === 0) {
          throw new CoreError(
            `Nobody subscribes to the pubsub channel "${this.target}": the dead letter was left in place. ` +
              "Start the service first; if it runs in streams mode, use mode: 'streams' (--mode streams).",
            { context: 'redis.redrive' },
          );
        }
      } else {
        await this.command(() => this.client.call('XADD', xaddArgs(this.target, this.options.maxLen, this.entryFields(entry))));
      }
    } catch (error) {
      this.listed.set(letter, entry);
      throw error;
    }
    await this.command(() => this.client.xdel(this.destination, entry.id));
  }

  async close(): Promise<void> {
    this.listed.clear();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** The original entry's fields: the envelope and routing fields, no `attempt` (or a foreign entry's fields as they were). */
  private entryFields(entry: Entry): Array<string | Buffer> {
    const { fields } = entry;
    if (!entry.data) {
      const original = strings(json(fields.original)) ?? {};
      return Object.entries(original).flat();
    }
    return toEntryFields({ data: entry.data, type: fields.type, messageId: fields.id, correlationId: fields.correlationId, replyTo: fields.replyTo });
  }

  private command<T>(run: () => Promise<T>): Promise<T> {
    return orUnavailable(run(), this.options.timeout, this.options.address);
  }
}
