import { randomUUID } from 'node:crypto';
import { PendingReplies } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';

/** Where the response topics of every client live: `tributary/reply/<uuid>`. */
export const REPLY_ROOT = 'tributary/reply/';

export const isReplyTopic = (topic: string): boolean => topic.startsWith(REPLY_ROOT);

/**
 * Request/reply with MQTT 5 response topic and correlation data: one response topic per
 * connection, subscribed (QoS 1, in the connection's session) on the first `send` and kept
 * until close; `PendingReplies` matches replies by correlation data and times calls out.
 */
export class ReplyChannel {
  readonly topic = `${REPLY_ROOT}${randomUUID()}`;
  readonly pending: PendingReplies;
  private readonly waiting = new Set<string>();
  private ready?: Promise<void>;

  constructor(
    channel: string,
    private readonly subscribe: (topic: string) => Promise<void>,
  ) {
    this.pending = new PendingReplies(channel);
  }

  /** Subscribes once; concurrent first calls share the subscription. */
  open(): Promise<void> {
    if (!this.ready) {
      this.ready = this.subscribe(this.topic);
      this.ready.catch(() => (this.ready = undefined));
    }
    return this.ready;
  }

  /** Registers a call under a correlation id no other waiting call has. */
  register(given: string | undefined, eventType: string | undefined, timeout: number, channel: string): { correlationId: string; reply: Promise<TransportMessage> } {
    const correlationId = given !== undefined && !this.waiting.has(given) ? given : randomUUID();
    this.waiting.add(correlationId);
    const reply = this.pending.register(correlationId, eventType, timeout, channel);
    const done = (): void => void this.waiting.delete(correlationId);
    reply.then(done, done);
    return { correlationId, reply };
  }

  receive(message: TransportMessage): void {
    this.pending.resolve(message.correlationId, message);
  }

  reject(correlationId: string, error: Error): void {
    this.pending.reject(correlationId, error);
  }

  close(): void {
    this.pending.rejectAll();
  }
}
