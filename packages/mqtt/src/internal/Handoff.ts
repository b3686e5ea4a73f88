import { Observable } from 'rxjs';
import type { TransportMessage } from '@tributary/messaging/transport';

/**
 * Hands received messages to the subscriber of `message$` (the delivery machine). While nobody
 * consumes (before the listener starts, after a drain began), messages wait here with their
 * PUBACK held: the broker delivers them again if this connection ends first.
 */
export class Handoff {
  readonly message$: Observable<TransportMessage>;
  private sink?: (message: TransportMessage) => void;
  private waiting: TransportMessage[] = [];

  constructor() {
    this.message$ = new Observable<TransportMessage>(subscriber => {
      this.sink = message => subscriber.next(message);
      for (const message of this.waiting.splice(0)) this.sink(message);
      return () => (this.sink = undefined);
    });
  }

  deliver(message: TransportMessage): void {
    if (this.sink) this.sink(message);
    else this.waiting.push(message);
  }

  stop(): void {
    this.sink = undefined;
    this.waiting = [];
  }
}
