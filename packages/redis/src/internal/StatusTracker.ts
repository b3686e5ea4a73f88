import type Redis from 'ioredis';
import { BehaviorSubject, Subject } from 'rxjs';
import { ConnectionStatus } from '@tributary/messaging';

type ClientState = 'ready' | 'close' | 'reconnecting' | 'connect' | 'end';
const EVENTS: readonly ClientState[] = ['ready', 'close', 'reconnecting', 'connect', 'end'];

/**
 * Folds the states of a connection's ioredis clients into one `ConnectionStatus`: connected
 * when every client is ready, reconnecting while any reconnects, disconnected while any is
 * down. Emits changes only, and forwards client errors.
 */
export class StatusTracker {
  readonly status$ = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.CONNECTED);
  readonly error$ = new Subject<Error>();
  /** Fires after a client that had been connected is ready again. */
  readonly reconnected$ = new Subject<Redis>();
  private readonly clients = new Map<Redis, { state: ClientState; detach: () => void }>();
  private closed = false;

  /** Follows a client that is ready (events replay in order, so the state is read from them, not from `client.status`). */
  track(client: Redis): void {
    if (this.clients.has(client)) return;
    const entry = { state: 'ready' as ClientState, detach: () => {} };
    const listeners = EVENTS.map(state => {
      const listener = (): void => {
        entry.state = state;
        this.update();
        if (state === 'ready' && !this.closed) this.reconnected$.next(client);
      };
      client.on(state, listener);
      return [state, listener] as const;
    });
    const onError = (error: Error): void => {
      if (!this.closed) this.error$.next(error);
    };
    client.on('error', onError);
    entry.detach = () => {
      for (const [state, listener] of listeners) client.off(state, listener);
      client.off('error', onError);
    };
    this.clients.set(client, entry);
    this.update();
  }

  /** Stops following a client (it is being closed on purpose). */
  untrack(client: Redis): void {
    this.clients.get(client)?.detach();
    this.clients.delete(client);
    this.update();
  }

  /** All ready: connected. An outage starts as disconnected, then is reconnecting until every client is back. */
  private update(): void {
    if (this.closed) return;
    const states = [...this.clients.values()].map(({ state }) => state);
    const current = this.status$.value;
    let next: ConnectionStatus;
    if (states.every(state => state === 'ready')) next = ConnectionStatus.CONNECTED;
    else if (current === ConnectionStatus.CONNECTED) next = ConnectionStatus.DISCONNECTED;
    else if (states.some(state => state === 'reconnecting' || state === 'connect')) next = ConnectionStatus.RECONNECTING;
    else if (states.some(state => state === 'end')) next = ConnectionStatus.DISCONNECTED;
    else next = current;
    if (next !== current) this.status$.next(next);
  }

  close(): void {
    if (this.closed) return;
    for (const { detach } of this.clients.values()) detach();
    this.clients.clear();
    this.status$.next(ConnectionStatus.CLOSED);
    this.closed = true;
    this.status$.complete();
    this.error$.complete();
    this.reconnected$.complete();
  }
}
