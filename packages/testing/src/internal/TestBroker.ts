import { LocalBroker } from '@tributary/messaging';
import { TransportMessage } from '@tributary/messaging/transport';

/**
 * The in-process broker, counting the redeliveries it holds back (retry backoff), so that a
 * test bed knows it is not idle while a retry is pending.
 */
export class TestBroker extends LocalBroker {
  private readonly held = new WeakSet<TransportMessage>();
  private waiting = 0;

  /** Retries scheduled and not delivered yet. */
  get pendingRedeliveries(): number {
    return this.waiting;
  }

  override redeliver(channel: string, message: TransportMessage, delay: number): void {
    const copy = { ...message };
    this.held.add(copy);
    this.waiting++;
    super.redeliver(channel, copy, delay);
  }

  override enqueue(channel: string, message: TransportMessage): void {
    if (this.held.delete(message)) this.waiting--;
    super.enqueue(channel, message);
  }

  override reset(): void {
    super.reset();
    this.waiting = 0;
  }
}
