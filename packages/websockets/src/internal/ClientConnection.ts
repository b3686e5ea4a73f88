import { randomUUID } from 'node:crypto';
import type { Event } from '@tributary/core';
import { matchTopic } from '@tributary/messaging/transport';
import { defer, Observable, of, ReplaySubject, Subject } from 'rxjs';
import { WebSocket } from 'ws';
import type { WebSocketClientConnection } from '../server/WebSocketClientConnection';
import { WebSocketData, WebSocketStatus } from '../websocket.interface';
import type { OutgoingFrame } from './wire';

/** What a client needs from its server. */
export interface ClientHost {
  readonly maxBufferedBytes: number;
  readonly closeTimeout: number;
  encode(event: Event): OutgoingFrame;
  broadcast(event: Event): number;
  publish(event: Event): number;
  /** A client went over `maxBufferedBytes` and is being cut. */
  slow(client: ClientConnection, buffered: number): void;
  /** A socket-level error (bad frame, message too big): the socket closes itself. */
  socketError(client: ClientConnection, error: Error): void;
}

/** Close reasons are at most 123 bytes (RFC 6455 §5.5). */
const clampReason = (reason: string): string => {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
};

/** One connected `ws` socket behind the public {@link WebSocketClientConnection} API. */
export class ClientConnection implements WebSocketClientConnection {
  readonly id = randomUUID();
  isAlive = true;
  private readonly messages = new Subject<WebSocketData>();
  private readonly closed = new ReplaySubject<{ code: number; reason: string }>(1);
  readonly message$: Observable<WebSocketData> = this.messages.asObservable();
  readonly close$ = this.closed.asObservable();
  private readonly exact = new Set<string>();
  private readonly patterns = new Set<string>();
  private cut = false;
  private closeTimer?: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    readonly address: string,
    readonly auth: unknown,
    private readonly host: ClientHost,
  ) {
    socket.on('message', (data, isBinary) => {
      this.isAlive = true;
      this.messages.next(isBinary ? (data as Buffer) : data.toString());
    });
    socket.on('pong', () => {
      this.isAlive = true;
    });
    socket.on('error', error => host.socketError(this, error));
    socket.once('close', (code, reason) => {
      clearTimeout(this.closeTimer);
      this.messages.complete();
      this.closed.next({ code, reason: reason.toString() });
      this.closed.complete();
    });
  }

  get readyState(): number {
    return this.socket.readyState;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get subscriptions(): ReadonlyArray<string> {
    return [...this.exact, ...this.patterns];
  }

  /**
   * Sends a frame unless the client is too far behind. A client with nothing pending may
   * always take one message (however big); otherwise what is pending plus this message must
   * fit in `maxBufferedBytes`, or the client is cut: its memory stays bounded.
   */
  sendFrame(frame: OutgoingFrame): boolean {
    if (this.cut || this.socket.readyState !== WebSocket.OPEN) return false;
    const buffered = this.socket.bufferedAmount;
    if (buffered > 0 && buffered + frame.data.length > this.host.maxBufferedBytes) {
      this.cut = true;
      this.host.slow(this, buffered);
      this.close(WebSocketStatus.TRY_AGAIN_LATER, `Slow client: over ${this.host.maxBufferedBytes} bytes waiting to be sent`);
      return false;
    }
    this.socket.send(frame.data, { binary: frame.binary });
    return true;
  }

  send(data: string | Buffer): boolean {
    return this.sendFrame(typeof data === 'string' ? { data: Buffer.from(data, 'utf8'), binary: false } : { data, binary: true });
  }

  sendEvent<T extends Event>(event: T): boolean {
    if (this.cut || this.socket.readyState !== WebSocket.OPEN) return false;
    return this.sendFrame(this.host.encode(event));
  }

  sendResponse<T extends Event>(event: T): Observable<boolean> {
    return defer(() => of(this.sendEvent(event)));
  }

  sendBroadcastResponse<T extends Event>(event: T): Observable<boolean> {
    return defer(() => of(this.host.broadcast(event) >= 0));
  }

  publish<T extends Event>(event: T): number {
    return this.host.publish(event);
  }

  subscribe(types: ReadonlyArray<string>): ReadonlyArray<string> {
    for (const type of types) (type.includes('*') || type.includes('#') ? this.patterns : this.exact).add(type);
    return this.subscriptions;
  }

  unsubscribe(types: ReadonlyArray<string>): ReadonlyArray<string> {
    for (const type of types) {
      this.exact.delete(type);
      this.patterns.delete(type);
    }
    return this.subscriptions;
  }

  isSubscribed(type: string): boolean {
    if (this.exact.has(type)) return true;
    for (const pattern of this.patterns) if (matchTopic(pattern, type)) return true;
    return false;
  }

  ping(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  close(code: number = WebSocketStatus.NORMAL_CLOSURE, reason = '', timeout = this.host.closeTimeout): void {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    try {
      this.socket.close(code, clampReason(reason));
    } catch {
      // an invalid close code (1005, 1006, 2999...): close as an internal error instead
      this.socket.close(WebSocketStatus.INTERNAL_ERROR, clampReason(reason));
    }
    // a client that never answers the close frame (or never reads) is dropped
    this.closeTimer ??= setTimeout(() => this.socket.terminate(), timeout);
    this.closeTimer.unref?.();
  }

  terminate(): void {
    this.socket.terminate();
  }
}
