import { createServer, Socket } from 'node:net';
import type { Server } from 'node:net';

/**
 * Where {@link createTcpProxy} forwards to.
 *
 * @example
 * ```ts
 * import type { TcpProxyOptions } from '@tributary/testing/conformance';
 * const toRabbitMQ: TcpProxyOptions = { host: '127.0.0.1', port: 5672 };
 * ```
 * @since 0.2.0
 * @category conformance
 */
export interface TcpProxyOptions {
  /** The broker's host (default `127.0.0.1`). */
  host?: string;
  /** The broker's port. */
  port: number;
}

/**
 * A loopback TCP proxy to a broker: connections made to `port` reach the broker until `cut()`.
 *
 * @example
 * ```ts
 * import { createTcpProxy } from '@tributary/testing/conformance';
 * import type { TcpProxy } from '@tributary/testing/conformance';
 * const proxy: TcpProxy = await createTcpProxy({ port: 4222 });
 * const url = `nats://127.0.0.1:${proxy.port}`;
 * ```
 * @since 0.2.0
 * @category conformance
 */
export interface TcpProxy {
  /** The proxy's own port on 127.0.0.1: point the client under test here. */
  readonly port: number;
  /** Destroys every open connection and refuses new ones (closed at once) until `restore()`. */
  cut(): Promise<void>;
  /**
   * Goes on forwarding what clients send but drops what the broker answers, until `cut()` or
   * `restore()`: the broker acts on commands whose answers never arrive, as when a connection
   * dies right after the broker acted. A client that sends such a command again after the
   * `cut()` then makes the broker act twice, unless the command is idempotent.
   */
  dropReplies(): Promise<void>;
  /** Accepts and forwards connections again (answers included). */
  restore(): Promise<void>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a loopback TCP proxy to a broker, for fault tests: an outage for whoever connects
 * through it, and only for them (the shared broker and everyone else's connections are
 * untouched). The port stays reserved while cut: a refused connection is accepted and
 * closed at once, as a broker going down would look to a client.
 *
 * @example
 * ```ts
 * import { createTcpProxy } from '@tributary/testing/conformance';
 *
 * const proxy = await createTcpProxy({ port: 6379 });
 * const host = `redis://127.0.0.1:${proxy.port}`; // connect the service under test here
 * await proxy.cut();      // every connection through it drops; new ones are refused
 * await proxy.restore();  // they reconnect
 * await proxy.dropReplies(); // commands reach the broker, their answers are lost
 * await proxy.cut();      // … then the connection dies: the client may send them again
 * await proxy.restore();
 * await proxy.close();
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const createTcpProxy = async (options: TcpProxyOptions): Promise<TcpProxy> => {
  const target = { host: options.host ?? '127.0.0.1', port: options.port };
  const sockets = new Set<Socket>();
  let open = true;
  let answering = true;

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // a reset peer is what a fault test is about
  };

  const server: Server = createServer(client => {
    track(client);
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    track(upstream);
    upstream.connect(target.port, target.host);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (answering && !client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const port = (server.address() as { port: number }).port;

  const destroyAll = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  return {
    port,
    cut: async () => {
      open = false;
      destroyAll();
    },
    dropReplies: async () => {
      answering = false;
    },
    restore: async () => {
      open = true;
      answering = true;
    },
    close: async () => {
      open = false;
      destroyAll();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
};
