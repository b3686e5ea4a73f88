import { randomUUID } from 'node:crypto';
import { PendingReplies } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { RedisKeys } from './keys';
import type { Subscriber } from './Subscriber';
import { readReplyRouting } from './envelope';

/**
 * Where the replies to one client's `send`s arrive: a single pub/sub channel per connection,
 * subscribed on the first call and kept until close (never one per call). Each call gets its
 * own reply address, `<address>#<call id>`, published to the same channel; the replier sends
 * it back in the reply's `metadata.replyTo`, so calls sharing a `correlationId` (a saga's) do
 * not collide. A reply without it is matched by `correlationId`. A call that times out only
 * leaves `PendingReplies` (nothing is unsubscribed), and a late reply is dropped.
 *
 * Replies use pub/sub in both modes: the caller waits in memory, so a durable reply would
 * outlive the only one who could use it.
 */
export class ReplyChannel {
  readonly address: string;
  readonly pending: PendingReplies;
  private readonly byCorrelation = new Map<string, string>();
  private calls = 0;
  private ready?: Promise<void>;
  private opened = false;
  /** `"replyTo":"<address>#`: where a reply's call id starts, found without parsing the reply. */
  private readonly marker: Buffer;

  constructor(
    private readonly keys: RedisKeys,
    private readonly subscriber: Subscriber,
    channel: string,
  ) {
    this.address = keys.replyAddress(randomUUID());
    this.pending = new PendingReplies(channel);
    this.marker = Buffer.from(`"replyTo":${JSON.stringify(`${this.address}#`).slice(0, -1)}`, 'utf8');
  }

  /** Whether the reply channel is subscribed (calls then register without waiting). */
  get isOpen(): boolean {
    return this.opened;
  }

  /** Subscribes once; concurrent first calls share the subscription. */
  open(): Promise<void> {
    if (!this.ready) {
      this.ready = this.subscriber.subscribe([this.keys.prefixed(this.address)], message => this.receive(message));
      this.ready.then(
        () => (this.opened = true),
        () => (this.ready = undefined),
      );
    }
    return this.ready;
  }

  /** Registers a call: its reply address, and the reply (or `TimeoutError` after `timeout` ms). */
  register(correlationId: string, eventType: string | undefined, timeout: number, channel: string): { replyTo: string; reply: Promise<TransportMessage> } {
    const callId = String(++this.calls);
    this.byCorrelation.set(correlationId, callId);
    const forget = (): void => {
      if (this.byCorrelation.get(correlationId) === callId) this.byCorrelation.delete(correlationId);
    };
    const reply = this.pending.register(callId, eventType, timeout, channel);
    reply.then(forget, forget);
    return { replyTo: `${this.address}#${callId}`, reply };
  }

  /** Fails one call (its request could not be sent). */
  reject(replyTo: string, error: Error): void {
    this.pending.reject(replyTo.slice(replyTo.lastIndexOf('#') + 1), error);
  }

  private receive(message: Buffer): void {
    // the call id follows this client's address in the reply's metadata.replyTo: read it from
    // the bytes (the client decodes the reply once, after); without it, parse for correlationId
    const callId = this.callIdOf(message);
    if (callId !== undefined) {
      this.pending.resolve(callId, { data: message, replyTo: `${this.address}#${callId}` });
      return;
    }
    const { replyTo, correlationId } = readReplyRouting(message);
    const mine = replyTo?.startsWith(`${this.address}#`) ? replyTo.slice(this.address.length + 1) : undefined;
    this.pending.resolve(mine ?? (correlationId === undefined ? undefined : this.byCorrelation.get(correlationId)), { data: message, correlationId, replyTo });
  }

  /**
   * The call id in `"replyTo":"<address>#<digits>"`, the last such text of the reply (the
   * envelope's metadata comes after its payload), or undefined. Call ids are decimal.
   */
  private callIdOf(message: Buffer): string | undefined {
    const at = message.lastIndexOf(this.marker);
    if (at < 0) return undefined;
    const start = at + this.marker.length;
    let end = start;
    while (end < message.length && message[end] >= 48 && message[end] <= 57) end++;
    return end > start && message[end] === 34 ? message.toString('latin1', start, end) : undefined;
  }

  close(): void {
    this.pending.rejectAll();
    this.byCorrelation.clear();
  }
}
