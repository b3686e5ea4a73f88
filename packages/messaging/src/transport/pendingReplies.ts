import { ConnectionClosedError, TimeoutError } from '../errors/errors';
import type { TransportMessage } from './transport.interface';

/**
 * Book-keeping of RPC calls waiting for replies, for transport authors: one timer per call,
 * removed on reply, timeout or close, so nothing is left behind.
 *
 * @example
 * ```ts
 * import { PendingReplies } from '@tributary/messaging';
 * const pending = new PendingReplies('orders');
 * const reply = pending.register('corr-1', 'GetOrder', 5000);
 * pending.resolve('corr-1', { data: Buffer.from('{"type":"Order"}') });
 * ```
 * @since 0.1.0
 * @category transport SPI
 */
export class PendingReplies {
  private readonly calls = new Map<string, { resolve: (m: TransportMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly channel: string) {}

  /** How many calls wait. */
  get size(): number {
    return this.calls.size;
  }

  /** Waits for the reply to `correlationId`, for `timeout` ms at most. */
  register(correlationId: string, eventType: string | undefined, timeout: number, channel = this.channel): Promise<TransportMessage> {
    return new Promise<TransportMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.calls.delete(correlationId);
        reject(new TimeoutError(eventType, channel, timeout));
      }, timeout);
      this.calls.set(correlationId, { resolve, reject, timer });
    });
  }

  /** Settles the call `correlationId`; false when nobody waits for it (late or foreign reply). */
  resolve(correlationId: string | undefined, message: TransportMessage): boolean {
    const call = correlationId === undefined ? undefined : this.calls.get(correlationId);
    if (!call) return false;
    clearTimeout(call.timer);
    this.calls.delete(correlationId!);
    call.resolve(message);
    return true;
  }

  /** Fails one call (its request could not be sent). */
  reject(correlationId: string, error: Error): void {
    const call = this.calls.get(correlationId);
    if (!call) return;
    clearTimeout(call.timer);
    this.calls.delete(correlationId);
    call.reject(error);
  }

  /** Fails every waiting call (on close), with `ConnectionClosedError` by default. */
  rejectAll(error: Error = new ConnectionClosedError(this.channel)): void {
    for (const call of this.calls.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.calls.clear();
  }
}
