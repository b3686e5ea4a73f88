import { createServer, connect } from 'node:net';
import type { Socket } from 'node:net';

/** A loopback TCP proxy to a broker that a test can cut (every socket destroyed, new ones refused) and restore. */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export const createTcpProxy = async ({ host = '127.0.0.1', port }: { host?: string; port: number }): Promise<TcpProxy> => {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer(client => {
    if (down) return void client.destroy();
    const upstream = connect({ host, port });
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const cutAll = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: async () => {
      down = true;
      cutAll();
    },
    restore: async () => {
      down = false;
    },
    close: async () => {
      down = true;
      cutAll();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
};
