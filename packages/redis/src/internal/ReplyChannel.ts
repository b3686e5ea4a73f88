import { randomUUID } from 'node:crypto';
import { PendingReplies } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging';
import type { RedisKeys } from './keys';
import type { Subscriber } from './Subscriber';
import { readCorrelationId } from './envelope';

/**
 * Where the replies to one client's `send`s arrive: a single pub/sub channel per connection,
 * subscribed on the first call and kept until close (never one per call). Calls are matched by
 * `metadata.correlationId`; a call that times out only leaves `PendingReplies`, nothing is
 * unsubscribed, and a late reply is dropped.
 *
 * Replies use pub/sub in both modes: the caller waits in memory, so a durable reply would
 * outlive the only one who could use it.
 */
export class ReplyChannel {
  readonly address: string;
  readonly pending: PendingReplies;
  private ready?: Promise<void>;

  constructor(
    private readonly keys: RedisKeys,
    private readonly subscriber: Subscriber,
    channel: string,
  ) {
    this.address = keys.replyAddress(randomUUID());
    this.pending = new PendingReplies(channel);
  }

  /** Subscribes once; concurrent first calls share the subscription. */
  open(): Promise<void> {
    if (!this.ready) {
      this.ready = this.subscriber.subscribe([this.keys.prefixed(this.address)], message => {
        const correlationId = readCorrelationId(message);
        const reply: TransportMessage = { data: message, correlationId };
        this.pending.resolve(correlationId, reply);
      });
      this.ready.catch(() => (this.ready = undefined));
    }
    return this.ready;
  }

  close(): void {
    this.pending.rejectAll();
  }
}
