import { Subject } from 'rxjs';
import type { DeadLetterInfo, TransportMessage } from '../transport/transport.interface';
import { matchTopic } from '../transport/matchTopic';

/**
 * A message the in-process broker dead-lettered, with why.
 * @since 0.1.0
 * @category local transport
 */
export interface LocalDeadLetter {
  /** Unique within its broker, in the order of dead-lettering (a decimal number). @since 0.2.0 */
  id: string;
  /** When it was dead-lettered, ms since the epoch. @since 0.2.0 */
  deadLetteredAt: number;
  channel: string;
  message: TransportMessage;
  info: DeadLetterInfo;
}

/**
 * Receives a message from the in-process broker (`callId` is set for replies).
 * @since 0.1.0
 * @category local transport
 */
export type LocalMessageHandler = (message: TransportMessage, callId: string) => void;
type Handler = LocalMessageHandler;

interface LocalQueue {
  consumers: Handler[];
  next: number;
  pending: TransportMessage[];
  head: number;
  scheduled: boolean;
}

/**
 * The in-process broker behind `Transport.LOCAL` and the `EventBus`: queues per channel
 * (instances of a service compete for messages), topic subscriptions for `publish`, reply
 * addresses for `send`, delayed redelivery and a dead-letter list. Messages wait in a queue
 * until a consumer comes; delivery is asynchronous (a microtask), never re-entrant.
 *
 * @example
 * ```ts
 * import { LocalBroker, Transport } from '@tributary/messaging';
 * const broker = new LocalBroker();
 * const options = { channel: 'orders', broker };
 * // createMicroservice({ transport: Transport.LOCAL, options, listener })
 * broker.getDeadLetters('orders'); // []
 * ```
 * @since 0.1.0
 * @category local transport
 */
export class LocalBroker {
  private readonly queues = new Map<string, LocalQueue>();
  /** Per service channel, the pattern lists of its running instances. */
  private readonly subscriptions = new Map<string, Array<readonly string[]>>();
  private readonly replyAddresses = new Map<string, Handler>();
  private readonly deadLetters: LocalDeadLetter[] = [];
  private deadLetterSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Every dead letter, as it happens. */
  readonly deadLetter$ = new Subject<LocalDeadLetter>();

  private queue(channel: string): LocalQueue {
    let queue = this.queues.get(channel);
    if (!queue) {
      queue = { consumers: [], next: 0, pending: [], head: 0, scheduled: false };
      this.queues.set(channel, queue);
    }
    return queue;
  }

  /** Puts a message on a channel's queue (or hands a reply to its caller). */
  enqueue(channel: string, message: TransportMessage): void {
    // a reply address is `<client address>#<call id>`: one call, whatever its correlationId
    const hash = channel.indexOf('#');
    const reply = hash > 0 ? this.replyAddresses.get(channel.slice(0, hash)) : undefined;
    if (reply) {
      queueMicrotask(() => reply(message, channel.slice(hash + 1)));
      return;
    }
    const queue = this.queue(channel);
    queue.pending.push(message);
    this.schedule(queue);
  }

  private schedule(queue: LocalQueue): void {
    if (queue.scheduled || queue.consumers.length === 0) return;
    queue.scheduled = true;
    queueMicrotask(() => this.drain(queue));
  }

  private drain(queue: LocalQueue): void {
    queue.scheduled = false;
    while (queue.head < queue.pending.length && queue.consumers.length > 0) {
      const message = queue.pending[queue.head];
      queue.pending[queue.head++] = undefined as unknown as TransportMessage;
      const consumer = queue.consumers[queue.next++ % queue.consumers.length];
      consumer(message, '');
    }
    if (queue.head === queue.pending.length) {
      queue.pending.length = 0;
      queue.head = 0;
    } else if (queue.head > 1024) {
      queue.pending = queue.pending.slice(queue.head);
      queue.head = 0;
    }
  }

  /** Adds a competing consumer to a channel; returns how to remove it. */
  consume(channel: string, handler: Handler): () => void {
    const queue = this.queue(channel);
    queue.consumers.push(handler);
    this.schedule(queue);
    return () => {
      const i = queue.consumers.indexOf(handler);
      if (i >= 0) queue.consumers.splice(i, 1);
    };
  }

  /** Whether any instance consumes `channel` now. */
  hasConsumer(channel: string): boolean {
    return (this.queues.get(channel)?.consumers.length ?? 0) > 0;
  }

  /** Subscribes a service channel to event types or patterns for `publish` (one list per instance). */
  subscribe(channel: string, patterns: readonly string[]): () => void {
    const lists = this.subscriptions.get(channel) ?? [];
    lists.push(patterns);
    this.subscriptions.set(channel, lists);
    return () => {
      const i = lists.indexOf(patterns);
      if (i >= 0) lists.splice(i, 1);
      if (lists.length === 0 && this.subscriptions.get(channel) === lists) this.subscriptions.delete(channel);
    };
  }

  /** Fans a message out: one copy to each subscribed service channel. Returns how many. */
  publish(topic: string, message: TransportMessage): number {
    let copies = 0;
    for (const [channel, lists] of this.subscriptions) {
      if (lists.some(patterns => patterns.some(pattern => matchTopic(pattern, topic)))) {
        this.enqueue(channel, { ...message });
        copies++;
      }
    }
    return copies;
  }

  /** Registers where replies to a client go. */
  registerReplyAddress(address: string, handler: Handler): () => void {
    this.replyAddresses.set(address, handler);
    return () => this.replyAddresses.delete(address);
  }

  /** Redelivers a message to its channel after `delay` ms. */
  redeliver(channel: string, message: TransportMessage, delay: number): void {
    if (delay <= 0) return this.enqueue(channel, message);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(channel, message);
    }, delay);
    this.timers.add(timer);
  }

  /** Records a dead letter. */
  deadLetter(channel: string, message: TransportMessage, info: DeadLetterInfo): void {
    const letter: LocalDeadLetter = { id: String(++this.deadLetterSeq), deadLetteredAt: Date.now(), channel, message, info };
    this.deadLetters.push(letter);
    this.deadLetter$.next(letter);
  }

  /** The dead letters so far, of one channel or all. */
  getDeadLetters(channel?: string): LocalDeadLetter[] {
    return channel === undefined ? [...this.deadLetters] : this.deadLetters.filter(l => l.channel === channel);
  }

  /** Removes one dead letter (after a redrive); whether it was there. @since 0.2.0 */
  removeDeadLetter(id: string): boolean {
    const i = this.deadLetters.findIndex(letter => letter.id === id);
    if (i < 0) return false;
    this.deadLetters.splice(i, 1);
    return true;
  }

  /** How many messages wait for their retry delay. */
  get pendingRetries(): number {
    return this.timers.size;
  }

  /** How many messages wait on a channel for a consumer. */
  depth(channel: string): number {
    const queue = this.queues.get(channel);
    return queue ? queue.pending.length - queue.head : 0;
  }

  /** Drops every queue, timer and dead letter (tests). */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queues.clear();
    this.subscriptions.clear();
    this.replyAddresses.clear();
    this.deadLetters.length = 0;
  }
}

/** The process-wide broker used when options name none. */
export const defaultLocalBroker = new LocalBroker();
