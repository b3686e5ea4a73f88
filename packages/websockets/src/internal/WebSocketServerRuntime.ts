import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { encodeError, Event, Logger, LoggerLevel, LoggerTag } from '@tributary/core';
import { defer, Observable, of, Subject } from 'rxjs';
import { WebSocket, WebSocketServer } from 'ws';
import { WebSocketServerError } from '../error/errors';
import { AllServerEvents, ServerEvent } from '../server/serverEvents';
import type { WebSocketListener } from '../server/webSocketListener';
import type { WebSocketCloseOptions, WebSocketServerConnection } from '../server/WebSocketServerConnection';
import { DEFAULT_WEBSOCKET_SERVER_OPTIONS, WebSocketServerOptions } from '../server/webSocketServerOptions';
import { WebSocketStatus } from '../websocket.interface';
import { ClientConnection, ClientHost } from './ClientConnection';
import { startHeartbeat } from './heartbeat';
import { HttpEndpoint, openHttpEndpoint, urlOf } from './httpEndpoint';
import { checkUpgrade, rejectUpgrade } from './upgrade';
import { encodeOutgoing } from './wire';

export type ResolvedOptions = WebSocketServerOptions & Required<Pick<WebSocketServerOptions, keyof typeof DEFAULT_WEBSOCKET_SERVER_OPTIONS>>;

type State = 'idle' | 'listening' | 'closing' | 'closed';

/** The server behind `createWebSocketServer`: upgrades, clients, sending, heartbeat, shutdown. */
export class WebSocketServerRuntime implements WebSocketServerConnection, ClientHost {
  readonly clients = new Set<ClientConnection>();
  private readonly events = new Subject<AllServerEvents>();
  readonly event$: Observable<AllServerEvents> = this.events.asObservable();
  private readonly wss: WebSocketServer;
  private readonly pending = new Set<Duplex>();
  private endpoint?: HttpEndpoint;
  private stopHeartbeat?: () => void;
  private state: State = 'idle';
  private listening?: Promise<this>;
  private closing?: Promise<void>;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly listener: WebSocketListener,
    private readonly logger: Logger,
  ) {
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: options.maxPayload });
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => this.events.next(ServerEvent.headers(headers, req)));
  }

  get maxBufferedBytes(): number {
    return this.options.maxBufferedBytes;
  }

  get closeTimeout(): number {
    return this.options.closeTimeout;
  }

  get port(): number | undefined {
    const address = this.endpoint?.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  get url(): string | undefined {
    return urlOf(this.endpoint?.server, this.options.path);
  }

  listen(): Promise<this> {
    if (this.state === 'closing' || this.state === 'closed') {
      return Promise.reject(new WebSocketServerError('This WebSocket server was closed; create a new one with createWebSocketServer to listen again'));
    }
    this.listening ??= this.start();
    return this.listening;
  }

  private async start(): Promise<this> {
    const { server, port, path, heartbeatInterval } = this.options;
    this.endpoint = await openHttpEndpoint(
      this.options,
      (req, socket, head) => this.handleUpgrade(req, socket, head),
      address => this.events.next(ServerEvent.listening(address?.port ?? 0, address?.address ?? '')),
      error => this.report(error, 'HTTP server error'),
    );
    this.stopHeartbeat = startHeartbeat(
      () => this.clients,
      heartbeatInterval,
      client => this.log(LoggerLevel.WARN, `[${client.id}] terminated: no answer to the heartbeat ping within ${heartbeatInterval} ms`),
    );
    this.state = 'listening';
    this.log(
      LoggerLevel.INFO,
      server ? `Attached to an HTTP server${path ? ` on ${path}` : ''}` : port !== undefined ? `Listening on ${this.url}` : 'Ready: upgrades routed by handleUpgrade',
    );
    return this;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.state !== 'listening') return rejectUpgrade(socket, 503, 'The WebSocket server is not accepting connections');
    socket.on('error', () => socket.destroy());
    this.pending.add(socket);
    checkUpgrade(req, this.options, this.options.handshakeTimeout)
      .then(decision => {
        this.pending.delete(socket);
        if (!decision.ok) {
          const cause = decision.cause ? ` (${encodeError(decision.cause).message})` : '';
          this.log(LoggerLevel.WARN, `Refused an upgrade from ${req.socket.remoteAddress ?? '-'}: ${decision.status} ${decision.message}${cause}`);
          return rejectUpgrade(socket, decision.status, decision.message, decision.headers);
        }
        if (socket.destroyed || this.state !== 'listening') return socket.destroy();
        this.wss.handleUpgrade(req, socket, head, ws => this.accept(ws, req, decision.auth));
      })
      .catch(error => {
        this.report(error, 'Upgrade failed');
        socket.destroy();
      });
  }

  private accept(ws: WebSocket, req: IncomingMessage, auth: unknown): void {
    const client = new ClientConnection(ws, req.socket.remoteAddress ?? '-', auth, this);
    this.clients.add(client);
    client.close$.subscribe(({ code, reason }) => {
      this.clients.delete(client);
      this.events.next(ServerEvent.closeClient(client, code, reason));
    });
    this.events.next(ServerEvent.connection(client, req));
    this.listener(client);
  }

  encode(event: Event) {
    return encodeOutgoing(this.listener.eventTransformer, event);
  }

  publish<T extends Event>(event: T): number {
    let frame: ReturnType<WebSocketServerRuntime['encode']> | undefined;
    let sent = 0;
    for (const client of this.clients) {
      if (!client.isSubscribed(event.type)) continue;
      frame ??= this.encode(event);
      if (client.sendFrame(frame)) sent++;
    }
    return sent;
  }

  broadcast<T extends Event>(event: T): number {
    if (this.clients.size === 0) return 0;
    const frame = this.encode(event);
    let sent = 0;
    for (const client of this.clients) if (client.sendFrame(frame)) sent++;
    return sent;
  }

  sendBroadcastResponse<T extends Event>(event: T): Observable<boolean> {
    return defer(() => of(this.broadcast(event) >= 0));
  }

  slow(client: ClientConnection, buffered: number): void {
    this.log(LoggerLevel.WARN, `[${client.id}] slow client cut: ${buffered} bytes waiting to be sent, over maxBufferedBytes (${this.options.maxBufferedBytes})`);
  }

  socketError(client: ClientConnection, error: Error): void {
    this.log(LoggerLevel.WARN, `[${client.id}] ${error.message}`);
  }

  close(options: WebSocketCloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options);
    return this.closing;
  }

  private async shutdown({ code = WebSocketStatus.GOING_AWAY, reason = 'Server shutting down', timeout = this.options.closeTimeout }: WebSocketCloseOptions): Promise<void> {
    await this.listening?.catch(() => undefined);
    this.state = 'closing';
    this.stopHeartbeat?.();
    this.endpoint?.detach();
    for (const socket of this.pending) socket.destroy();
    const gone = [...this.clients].map(client => new Promise<void>(resolve => client.close$.subscribe({ complete: resolve })));
    for (const client of this.clients) client.close(code, reason, timeout);
    await Promise.all(gone);
    await this.endpoint?.close();
    this.wss.close();
    this.state = 'closed';
    this.log(LoggerLevel.INFO, 'Closed');
    this.events.next(ServerEvent.close());
    this.events.complete();
  }

  report(error: unknown, what: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.log(LoggerLevel.ERROR, `${what}: ${err.message}`);
    this.events.next(ServerEvent.error(err));
  }

  private log(level: LoggerLevel, message: string): void {
    this.logger({ tag: LoggerTag.WEBSOCKETS, type: 'WebSocketServer', message, level })();
  }
}
