import type { BenchEvent } from '../harness/drive';
import { SEND_TIMEOUT } from './effects';

/**
 * A raw client's calls waiting for their replies, by correlation id (a counter), each failed
 * with "timed out" after `SEND_TIMEOUT` ms or when its request could not be sent. For the raw
 * systems whose client has no request/reply of its own (SQS, AMQP 1.0).
 */
export class PendingCalls {
  private readonly waiting = new Map<string, (reply: BenchEvent) => void>();
  private next = 0;

  /** Starts a call: `send` sends the request with the call's correlation id; resolves with the reply. */
  call(send: (correlationId: string) => Promise<unknown>): Promise<BenchEvent> {
    return new Promise<BenchEvent>((resolve, reject) => {
      const correlationId = String(this.next++);
      const timer = setTimeout(() => {
        this.waiting.delete(correlationId);
        reject(new Error('timed out'));
      }, SEND_TIMEOUT);
      this.waiting.set(correlationId, reply => {
        clearTimeout(timer);
        resolve(reply);
      });
      send(correlationId).catch(error => {
        clearTimeout(timer);
        this.waiting.delete(correlationId);
        reject(error);
      });
    });
  }

  /** Hands a reply to its call (`read` only runs when one waits); a late or unknown reply is dropped. */
  answer(correlationId: string | undefined, read: () => BenchEvent): void {
    const resolve = correlationId === undefined ? undefined : this.waiting.get(correlationId);
    if (!resolve) return;
    this.waiting.delete(correlationId!);
    resolve(read());
  }
}
