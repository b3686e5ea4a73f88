import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServerError } from '../error/errors';
import type { WebSocketServerOptions } from '../server/webSocketServerOptions';
import { attachUpgradeHandler } from './upgradeRouter';

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Where upgrade requests come from: the caller's HTTP server, one of our own, or none (noServer). */
export interface HttpEndpoint {
  readonly server: Server | undefined;
  /** Stops taking upgrades. */
  detach(): void;
  /** Stops taking upgrades and closes the HTTP server if it is ours (the caller's stays up). */
  close(): Promise<void>;
}

const listenError = (error: NodeJS.ErrnoException, port: number, host: string | undefined): WebSocketServerError =>
  new WebSocketServerError(
    error.code === 'EADDRINUSE'
      ? `Cannot listen on ${host ?? '*'}:${port}: the address is already in use. Stop the other process, choose another port, or pass port: 0 for any free port`
      : `Cannot listen on ${host ?? '*'}:${port}: ${error.message}`,
    error,
  );

/** A standalone WebSocket server's HTTP server: plain requests get 426 Upgrade Required. */
const upgradeOnlyServer = (): Server =>
  createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
    res.end('This is a WebSocket endpoint: connect with a WebSocket client.\n');
  });

/**
 * Attaches `handler` to `options.server`, or listens on `options.port` with a server of our
 * own, or (neither) leaves upgrades to `handleUpgrade`. `listening` is called once the HTTP
 * server listens; `failed` with its later errors.
 */
export const openHttpEndpoint = async (
  options: WebSocketServerOptions,
  handler: UpgradeHandler,
  listening: (address: AddressInfo) => void,
  failed: (error: Error) => void,
): Promise<HttpEndpoint> => {
  const { server, port, host, path } = options;
  if (server) {
    const detach = attachUpgradeHandler(server, path, handler);
    const announce = () => listening(server.address() as AddressInfo);
    if (server.listening) announce();
    else server.once('listening', announce);
    const stop = () => {
      detach();
      server.off('listening', announce);
    };
    return { server, detach: stop, close: async () => stop() };
  }
  if (port === undefined) return { server: undefined, detach: () => undefined, close: async () => undefined };
  const own = upgradeOnlyServer();
  const detach = attachUpgradeHandler(own, path, handler);
  try {
    await new Promise<void>((resolve, reject) => {
      own.once('error', reject);
      own.listen(port, host, () => {
        own.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    detach();
    throw listenError(error as NodeJS.ErrnoException, port, host);
  }
  own.on('error', failed);
  listening(own.address() as AddressInfo);
  return {
    server: own,
    detach,
    close: () =>
      new Promise<void>(resolve => {
        detach();
        own.close(() => resolve());
        own.closeAllConnections();
      }),
  };
};

/** `ws://host:port/path` of a listening server. */
export const urlOf = (server: Server | undefined, path = '/'): string | undefined => {
  const address = server?.address();
  if (!address || typeof address !== 'object') return undefined;
  const host = ['::', '0.0.0.0', '::1'].includes(address.address) ? 'localhost' : address.address.includes(':') ? `[${address.address}]` : address.address;
  return `ws://${host}:${address.port}${path}`;
};
