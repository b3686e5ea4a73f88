import { randomUUID } from 'node:crypto';
import { create_container } from 'rhea';
import type { Delivery, EventContext, Receiver } from 'rhea';
import { DeadLetterDestinationNotFoundError, withoutDeadLetterHeaders } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { dropLive, openLive } from './Live';
import type { Live } from './Live';
import { Outbox } from './Outbox';
import { bodyBytes, PROPERTY } from './properties';
import type { AmqpMessage } from './properties';
import type { ResolvedAmqp10Options } from './resolveOptions';

const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
const num = (value: unknown): number | undefined => {
  const n = Number(text(value));
  return text(value) !== undefined && Number.isFinite(n) ? n : undefined;
};
/** What the transport adds besides the dead-letter headers: not the user's, kept on a redrive (key, version, causation). */
const TRANSPORT = new Set<string>([PROPERTY.key, PROPERTY.version, PROPERTY.causationId, PROPERTY.originalAddress]);

/**
 * The dead-letter queue of an AMQP 1.0 service as a `DeadLetterStore`: `list` receives with
 * manual settlement and drained credit (the broker sends what it has, up to `limit`), holding
 * the letters unsettled and stopping at the first one dead-lettered after `open`; `move`
 * sends a copy to the service queue, accepted by the broker, then accepts the letter;
 * `close` releases what was held and not moved (back in its place, not counted).
 */
export class Amqp10DeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly held = new Map<DeadLetter, { delivery: Delivery; message: AmqpMessage }>();
  private readonly outbox: Outbox;
  private done = false;

  private constructor(
    private readonly live: Live,
    private readonly receiver: Receiver,
    private readonly options: ResolvedAmqp10Options,
    private readonly openedAt: number,
    queue: string,
  ) {
    this.destination = queue;
    this.target = options.channel;
    this.outbox = new Outbox({ ready: () => Promise.resolve(live), recover: () => undefined });
  }

  static async open(options: ResolvedAmqp10Options): Promise<Amqp10DeadLetters> {
    if (options.deadLetter === false) throw new DeadLetterDestinationNotFoundError(`${options.channel} (deadLetter: false)`, options.host);
    const queue = options.deadLetter;
    const openedAt = Date.now();
    const live = await openLive(create_container({ id: `tributary-dead-letters-${randomUUID()}` }), options, 1, () => undefined, () => undefined);
    live.alive = true;
    const receiver = live.consumer.open_receiver({ source: { address: queue, capabilities: ['queue'] }, credit_window: 0, autoaccept: false }) as Receiver;
    await new Promise<void>((resolve, reject) => {
      receiver.once('receiver_open', () => resolve());
      live.lost.then(reject);
    });
    return new Amqp10DeadLetters(live, receiver, options, openedAt, queue);
  }

  async list({ limit }: { limit: number }): Promise<DeadLetter[]> {
    if (this.done || limit <= 0) return [];
    const received: Array<{ delivery: Delivery; message: AmqpMessage }> = [];
    await new Promise<void>((resolve, reject) => {
      const take = (context: EventContext): void => void received.push({ delivery: context.delivery!, message: context.message as unknown as AmqpMessage });
      this.receiver.on('message', take);
      this.receiver.once('receiver_drained', () => {
        this.receiver.removeListener('message', take);
        resolve();
      });
      this.live.lost.then(reject);
      this.receiver.drain = true;
      this.receiver.add_credit(limit);
    });
    const letters: DeadLetter[] = [];
    for (const entry of received) {
      const props: Record<string, unknown> = entry.message.application_properties ?? {};
      const at = num(props[PROPERTY.deadLetteredAt]);
      if (this.done || (at !== undefined && at > this.openedAt)) {
        // dead-lettered after the store opened (a redriven letter that failed again): not this run's
        this.done = true;
        void this.live.settlements.settle(entry.delivery, 'release');
        continue;
      }
      const letter = this.letter(entry.message, entry.delivery);
      this.held.set(letter, entry);
      letters.push(letter);
    }
    if (received.length < limit) this.done = true;
    return letters;
  }

  async move(letter: DeadLetter): Promise<void> {
    const entry = this.held.get(letter);
    if (!entry) throw new Error(`"${letter.id}" was not listed by this store (or was moved already)`);
    const { message } = entry;
    const properties = withoutDeadLetterHeaders(message.application_properties);
    delete properties[PROPERTY.originalAddress];
    const copy: AmqpMessage = { ...message, application_properties: properties, message_annotations: {} };
    delete copy.delivery_count;
    delete copy.first_acquirer;
    await this.outbox.send(this.live, this.options.channel, copy, 'queue');
    this.held.delete(letter);
    await this.live.settlements.settle(entry.delivery, 'accept');
  }

  async close(): Promise<void> {
    for (const { delivery } of this.held.values()) void this.live.settlements.settle(delivery, 'release');
    this.held.clear();
    await this.live.settlements.flushed(5000);
    const closed = new Promise<void>(resolve => {
      this.live.connection.once('connection_close', () => resolve());
      this.live.connection.once('disconnected', () => resolve());
    });
    this.live.connection.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>(resolve => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    dropLive(this.live);
  }

  private letter(message: AmqpMessage, delivery: Delivery): DeadLetter {
    const props: Record<string, unknown> = message.application_properties ?? {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(withoutDeadLetterHeaders(props))) {
      const value_ = text(value);
      if (!TRANSPORT.has(name) && value_ !== undefined) headers[name] = value_;
    }
    const messageId = text(message.message_id);
    return {
      id: messageId ?? `delivery-${delivery.id}`,
      messageId,
      type: text(message.subject),
      reason: text(props[PROPERTY.reason]),
      errorName: text(props[PROPERTY.errorName]),
      errorMessage: text(props[PROPERTY.errorMessage]),
      attempts: num(props[PROPERTY.attempts]),
      headers,
      deadLetteredAt: num(props[PROPERTY.deadLetteredAt]),
      source: text(props[PROPERTY.originalAddress]),
      data: bodyBytes(message.body),
    };
  }
}
