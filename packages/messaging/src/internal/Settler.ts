import type { TransportLayerConnection, TransportMessage } from '../transport/transport.interface';
import type { Delivery } from './Delivery';
import type { KeyGate } from './KeyGate';
import type { Settlement } from './settlementPolicy';

/** A settlement the machine carries out (the policy's, or a message left to the broker). */
export type FinalSettlement = Exclude<Settlement, { outcome: 'wait' | 'answer' }> | { outcome: 'abandoned' };

/**
 * Settles each received message exactly once and counts what is in flight: from `received()`
 * to its final settlement (an in-process retry keeps it in flight and its key held). Carries
 * the settlement out on the transport; retries in process when the transport cannot delay a
 * message (`retryMessage` absent).
 */
export class Settler {
  private inflight = 0;
  private drained?: () => void;
  private stopped = false;
  /** In-process retries waiting for their delay. */
  private readonly waiting = new Map<NodeJS.Timeout, Delivery>();
  /** Manual mode: the delivery of each transport-native message, for `ackEvent` by message. */
  private readonly byRaw = new WeakMap<object, Delivery>();

  constructor(
    private readonly transport: TransportLayerConnection,
    private readonly gate: KeyGate,
    private readonly report: (error: unknown, what: string) => void,
    private readonly retryInProcess: (delivery: Delivery, attempt: number) => void,
  ) {}

  get inFlight(): number {
    return this.inflight;
  }

  received(): void {
    this.inflight++;
  }

  remember(delivery: Delivery): void {
    const raw = delivery.message.raw;
    if (raw && typeof raw === 'object') this.byRaw.set(raw, delivery);
  }

  /** The unsettled delivery of a transport message (or of its `raw`), in manual mode. */
  find(target: TransportMessage | undefined): Delivery | undefined {
    if (!target || typeof target !== 'object') return undefined;
    const delivery = this.byRaw.get(target) ?? (target.raw && typeof target.raw === 'object' ? this.byRaw.get(target.raw) : undefined);
    return delivery && !delivery.settled ? delivery : undefined;
  }

  /**
   * Carries the settlement out (once); resolves true once the transport has done it, false when
   * it failed (reported) or was not carried out (already settled, closing, or a retry that
   * waits in process).
   */
  settle(delivery: Delivery, settlement: FinalSettlement): Promise<boolean> | boolean {
    if (!delivery.finish(settlement.outcome)) return false;
    const { message } = delivery;
    if (settlement.outcome === 'retry' && !this.transport.retryMessage) {
      if (this.stopped) {
        this.release(delivery);
        return false;
      }
      const timer = setTimeout(() => {
        this.waiting.delete(timer);
        this.retryInProcess(delivery, settlement.attempt);
      }, settlement.delay);
      this.waiting.set(timer, delivery);
      return false;
    }
    let result: Promise<boolean> | boolean = false;
    if (!this.stopped) {
      let done: void | Promise<void>;
      try {
        done =
          settlement.outcome === 'ack'
            ? this.transport.ackMessage(message)
            : settlement.outcome === 'retry'
              ? this.transport.retryMessage!(message, settlement)
              : settlement.outcome === 'dead-letter'
                ? this.transport.deadLetterMessage(message, settlement.info)
                : this.transport.nackMessage(message, true);
      } catch (error) {
        done = Promise.reject(error);
      }
      result = done
        ? done.then(
            () => true,
            error => {
              this.report(error, `could not ${settlement.outcome} a message; the broker will deliver it again`);
              return false;
            },
          )
        : true;
    }
    this.release(delivery);
    return result;
  }

  /** The message left the machine: its key lets the next one go; a drain may be done. */
  private release(delivery: Delivery): void {
    const key = delivery.event.metadata?.key;
    if (key !== undefined) this.gate.leave(key);
    if (--this.inflight === 0 && this.drained) this.drained();
  }

  /** Resolves once nothing is in flight, or after `ms`. Waiting retries are given up at once. */
  async drain(ms: number): Promise<void> {
    // a retry waiting for its delay is left to the broker: it redelivers the unsettled message
    for (const [timer, delivery] of this.waiting) {
      clearTimeout(timer);
      this.waiting.delete(timer);
      this.release(delivery);
    }
    if (this.inflight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>(resolve => {
      this.drained = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
  }

  /** From now on nothing is carried out on the transport (it is closing). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.waiting.keys()) clearTimeout(timer);
    this.waiting.clear();
  }
}
