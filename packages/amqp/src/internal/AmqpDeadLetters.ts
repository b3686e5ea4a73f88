import type * as amqp from 'amqplib';
import { BrokerUnavailableError } from '@tributary/messaging';
import { DeadLetterDestinationNotFoundError, withoutDeadLetterHeaders } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { AmqpUnroutableError } from '../errors';
import { confirmPublish, ReturnTracker } from './confirmPublish';
import { closeQuietly } from './connectionFailures';
import { connectWithin } from './connectWithin';
import { fromDelivery, HEADER } from './properties';
import type { ResolvedAmqpOptions } from './resolveOptions';

/** Headers RabbitMQ adds when it dead-letters a message itself (the retry queues do): a redrive starts afresh without them. */
const BROKER_HEADERS = /^x-(death|delivery-count|first-death-.*|last-death-.*)$/;

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);

const number = (value: unknown): number | undefined => {
  const n = Number(text(value));
  return text(value) !== undefined && Number.isFinite(n) ? n : undefined;
};

/** The message properties to publish a dead letter again with: the original ones, without the dead-letter headers. */
const resendProperties = (msg: amqp.GetMessage): amqp.Options.Publish => {
  const { headers, userId: _userId, ...properties } = msg.properties;
  const kept = withoutDeadLetterHeaders(headers as Record<string, unknown> | undefined);
  for (const name of Object.keys(kept)) if (BROKER_HEADERS.test(name)) delete kept[name];
  const options: amqp.Options.Publish = { headers: kept, mandatory: true };
  for (const [name, value] of Object.entries(properties)) if (value !== undefined && value !== null) (options as Record<string, unknown>)[name] = value;
  return options;
};

/**
 * The dead-letter queue of a RabbitMQ service as a `DeadLetterStore`: `list` takes messages
 * with `basic.get` and holds them unacknowledged; `move` publishes a copy to the service
 * queue on the same confirm channel (mandatory), and acknowledges the original once the
 * broker confirmed the copy; `close` closes the channel, so that the broker puts back what
 * was held and not moved, in its place.
 */
export class AmqpDeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly held = new Map<DeadLetter, amqp.GetMessage>();

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly returns: ReturnTracker,
    private remaining: number,
    private readonly options: ResolvedAmqpOptions,
    queue: string,
  ) {
    this.destination = queue;
    this.target = options.queue;
  }

  static async open(options: ResolvedAmqpOptions): Promise<AmqpDeadLetters> {
    if (options.deadLetter === false) throw new DeadLetterDestinationNotFoundError(`${options.queue} (deadLetter: false)`, options.host);
    const queue = options.deadLetter;
    const connection = await connectWithin(options);
    connection.on('error', () => undefined);
    try {
      // a missing queue closes the channel it is checked on: check on a channel of its own
      const probe = await connection.createChannel();
      probe.on('error', () => undefined);
      const count = await probe.checkQueue(queue).then(
        ok => ok.messageCount,
        () => undefined,
      );
      if (count === undefined) throw new DeadLetterDestinationNotFoundError(queue, options.host);
      await probe.close();
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      return new AmqpDeadLetters(connection, channel, new ReturnTracker(channel), count, options, queue);
    } catch (error) {
      await closeQuietly(connection);
      throw error;
    }
  }

  async list({ limit }: { limit: number }): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    while (letters.length < limit && this.remaining > 0) {
      const msg = await this.channel.get(this.destination, { noAck: false });
      if (msg === false) {
        this.remaining = 0;
        break;
      }
      this.remaining--;
      const letter = this.toDeadLetter(msg);
      this.held.set(letter, msg);
      letters.push(letter);
    }
    return letters;
  }

  async move(letter: DeadLetter): Promise<void> {
    const msg = this.held.get(letter);
    if (!msg) throw new Error(`Dead letter ${letter.id} was not listed by this store, or was moved already.`);
    this.held.delete(letter);
    const options = resendProperties(msg);
    const outcome = await this.withinTimeout(confirmPublish(this.channel, this.returns, '', this.target, msg.content, options));
    if (outcome === 'returned') {
      this.held.set(letter, msg);
      throw new AmqpUnroutableError(this.target);
    }
    this.channel.ack(msg);
  }

  async close(): Promise<void> {
    this.held.clear();
    await this.channel.close().catch(() => undefined);
    await closeQuietly(this.connection);
  }

  /** The confirm, or `BrokerUnavailableError` after `timeout` (the letter stays unacknowledged: `close` puts it back). */
  private async withinTimeout<T>(confirm: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BrokerUnavailableError(this.options.host, this.options.timeout)), this.options.timeout)));
    try {
      return await Promise.race([confirm, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private toDeadLetter(msg: amqp.GetMessage): DeadLetter {
    const raw: Record<string, unknown> = msg.properties.headers ?? {};
    const message = fromDelivery(msg);
    let type = message.type;
    if (type === undefined) {
      try {
        const body = JSON.parse(msg.content.toString('utf8')) as { type?: unknown };
        if (typeof body?.type === 'string') type = body.type;
      } catch {
        // not JSON: no type
      }
    }
    return {
      id: message.messageId ?? `#${msg.fields.deliveryTag}`,
      messageId: message.messageId,
      type,
      reason: text(raw[HEADER.reason]),
      errorName: text(raw[HEADER.errorName]),
      errorMessage: text(raw[HEADER.errorMessage]),
      attempts: number(raw[HEADER.attempts]),
      headers: { ...message.headers },
      deadLetteredAt: number(raw[HEADER.deadLetteredAt]),
      source: text(raw[HEADER.originalQueue]),
      data: msg.content,
    };
  }
}
