import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { encodeError, Event, Logger, LoggerLevel, LoggerTag } from '@tributary/core';
import { defer, Observable, of, Subject } from 'rxjs';
import { WebSocket, WebSocketServer } from 'ws';
import { WebSocketServerError } from '../error/errors';
import { AllServerEvents, ServerEvent } from '../server/serverEvents';
import type { WebSocketListener } from '../server/webSocketListener';
import type { WebSocketCloseOptions, WebSocketServerConnection } from '../server/websocket.server.interface';
import { DEFAULT_WEBSOCKET_SERVER_OPTIONS, WebSocketServerOptions } from '../server/webSocketServerOptions';
import { WebSocketStatus } from '../websocket.interface';
import { ClientConnection, ClientHost } from './ClientConnection';
import { startHeartbeat } from './heartbeat';
import { checkUpgrade, rejectUpgrade } from './upgrade';
import { attachUpgradeHandler } from './upgradeRouter';
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
  private httpServer?: Server;
  private detach?: () => void;
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
    const address = this.httpServer?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  get url(): string | undefined {
    const address = this.httpServer?.address() as AddressInfo | null | undefined;
    if (!address || typeof address !== 'object') return undefined;
    const host = ['::', '0.0.0.0', '::1'].includes(address.address) ? 'localhost' : address.address.includes(':') ? `[${address.address}]` : address.address;
    return `ws://${host}:${address.port}${this.options.path ?? '/'}`;
  }

  listen(): Promise<this> {
    if (this.state === 'closing' || this.state === 'closed') {
      return Promise.reject(new WebSocketServerError('This WebSocket server was closed; create a new one with createWebSocketServer to listen again'));
    }
    this.listening ??= this.start();
    return this.listening;
  }

  private async start(): Promise<this> {
    const { server, port, host, path } = this.options;
    const handler = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head);
    if (server) {
      this.httpServer = server;
      this.detach = attachUpgradeHandler(server, path, handler);
      const announce = () => this.events.next(ServerEvent.listening(this.port ?? 0, String((server.address() as AddressInfo | null)?.address ?? '')));
      if (server.listening) announce();
      else server.once('listening', announce);
    } else if (port !== undefined) {
      const own = createServer((_req, res) => {
        res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
        res.end('This is a WebSocket endpoint: connect with a WebSocket client.\n');
      });
      this.httpServer = own;
      this.detach = attachUpgradeHandler(own, path, handler);
      await new Promise<void>((resolve, reject) => {
        own.once('error', error => reject(listenError(error as NodeJS.ErrnoException, port, host)));
        own.listen(port, host, () => resolve());
      });
      own.on('error', error => this.report(error, 'HTTP server error'));
      const address = own.address() as AddressInfo;
      this.events.next(ServerEvent.listening(address.port, address.address));
    }
    this.stopHeartbeat = startHeartbeat(
      () => this.clients,
      this.options.heartbeatInterval,
      client => this.log(LoggerLevel.WARN, `[${client.id}] terminated: no answer to the heartbeat ping within ${this.options.heartbeatInterval} ms`),
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
    checkUpgrade(req, this.options, this.options.handshakeTimeout).then(decision => {
      this.pending.delete(socket);
      if (!decision.ok) {
        const cause = decision.cause ? ` (${encodeError(decision.cause).message})` : '';
        this.log(LoggerLevel.WARN, `Refused an upgrade from ${req.socket.remoteAddress ?? '-'}: ${decision.status} ${decision.message}${cause}`);
        return rejectUpgrade(socket, decision.status, decision.message, decision.headers);
      }
      if (socket.destroyed || this.state !== 'listening') return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, ws => this.accept(ws, req, decision.auth));
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
    this.detach?.();
    for (const socket of this.pending) socket.destroy();
    const gone = [...this.clients].map(client => new Promise<void>(resolve => client.close$.subscribe({ complete: resolve })));
    for (const client of this.clients) client.close(code, reason, timeout);
    await Promise.all(gone);
    if (this.httpServer && !this.options.server && this.httpServer.listening) {
      const own = this.httpServer;
      await new Promise<void>(resolve => {
        own.close(() => resolve());
        own.closeAllConnections();
      });
    }
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

const listenError = (error: NodeJS.ErrnoException, port: number, host: string | undefined): WebSocketServerError =>
  new WebSocketServerError(
    error.code === 'EADDRINUSE'
      ? `Cannot listen on ${host ?? '*'}:${port}: the address is already in use. Stop the other process, choose another port, or pass port: 0 for any free port`
      : `Cannot listen on ${host ?? '*'}:${port}: ${error.message}`,
    error,
  );
