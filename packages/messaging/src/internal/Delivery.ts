import type { Event } from '@tributary/core';
import type { ListenerDelivery, ManualOutcome, SettledOutcome } from '../server/microservice.interface';
import type { TransportMessage } from '../transport/transport.interface';

/** What a delivery reports to. */
export interface DeliveryOwner {
  /** Every piece of work begun for `delivery` has ended. */
  idle(delivery: Delivery): void;
  /** `ackEvent` / `nackEvent` on the delivery. */
  settleManually(delivery: Delivery, outcome: ManualOutcome): Promise<boolean>;
  /** The delivery's abort signal was asked for: abort it if the drain gives up. */
  watch(delivery: Delivery): void;
}

/**
 * One incoming message on its way through the effects: the `DeliveryTracker` the operators
 * report to. `open` counts the work begun and not ended (starting at 1 for the dispatch
 * itself); when it drops to 0 the owner settles the message, once.
 */
export class Delivery implements ListenerDelivery {
  open = 1;
  isMatched = false;
  failure: unknown = undefined;
  settled = false;
  timer?: NodeJS.Timeout;
  /** When it was dispatched (`performance.now()`), if anything times it; 0 otherwise. */
  started = 0;
  /** Its OpenTelemetry context (the CONSUMER span), when tracing. */
  otel?: unknown;
  private controller?: AbortController;
  private hooks?: Array<(outcome: SettledOutcome) => void>;

  constructor(
    private readonly owner: DeliveryOwner,
    readonly message: TransportMessage,
    readonly event: Event,
  ) {}

  /** Made on first use only: most effects never ask for it. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      this.owner.watch(this);
    }
    return this.controller.signal;
  }

  matched(): void {
    this.isMatched = true;
  }

  begin(): void {
    if (!this.settled) this.open++;
  }

  end(error?: unknown): void {
    if (this.settled) return;
    if (error !== undefined && this.failure === undefined) this.failure = error;
    if (--this.open === 0) this.owner.idle(this);
  }

  fail(error: unknown): void {
    if (!this.settled && this.failure === undefined) this.failure = error;
  }

  onSettle(hook: (outcome: SettledOutcome) => void): void {
    (this.hooks ??= []).push(hook);
  }

  settle(outcome: ManualOutcome): Promise<boolean> {
    return this.owner.settleManually(this, outcome);
  }

  /** Marks it settled (once) and runs the settle hooks; false when it already was. */
  finish(outcome: SettledOutcome): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.hooks) for (const hook of this.hooks) hook(outcome);
    return true;
  }

  /** The work is given up on: tell it through the signal. */
  abort(reason: Error): void {
    this.controller?.abort(reason);
  }
}
