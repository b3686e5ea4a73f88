import { createServer, Server, Socket } from 'node:net';
import { createTcpProxy, TcpProxy } from '@tributary/testing/conformance';

/** A loopback echo server standing in for a broker. */
const echoServer = async (): Promise<{ server: Server; port: number }> => {
  const server = createServer(socket => socket.pipe(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
};

/** Connects to `port`, writes `text` and resolves with what came back, or with 'closed' when the connection ended first. */
const roundTrip = (port: number, text: string): Promise<string> =>
  new Promise(resolve => {
    const socket = new Socket();
    let received = '';
    socket.on('data', chunk => {
      received += chunk.toString('utf8');
      if (received === text) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received === text ? received : 'closed'));
    socket.connect(port, '127.0.0.1', () => socket.write(text));
  });

describe('createTcpProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await createTcpProxy({ port: echo.port });
  });

  afterEach(async () => {
    await proxy.close();
    await new Promise(resolve => echo.server.close(resolve));
  });

  it('forwards bytes both ways on a port of its own', async () => {
    expect(proxy.port).not.toBe(echo.port);
    await expect(roundTrip(proxy.port, 'ping')).resolves.toBe('ping');
  });

  it('cut() drops open connections and refuses new ones until restore()', async () => {
    const open = new Socket();
    const closed = new Promise<void>(resolve => open.on('close', () => resolve()));
    open.on('error', () => undefined);
    await new Promise<void>(resolve => open.connect(proxy.port, '127.0.0.1', resolve));

    await proxy.cut();
    await closed; // the open connection was dropped
    await expect(roundTrip(proxy.port, 'during')).resolves.toBe('closed');

    await proxy.restore();
    await expect(roundTrip(proxy.port, 'after')).resolves.toBe('after');
  });
});
