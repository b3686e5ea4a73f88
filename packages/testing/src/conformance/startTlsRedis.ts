import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, connect } from 'node:net';
import * as path from 'node:path';
import type { TestCertificates } from './createTestCertificates';

/** A redis-server of a test's own, listening with TLS only. */
export interface TlsRedis {
  readonly port: number;
  /** Stops the server (SIGTERM to its own pid) and removes its folder. */
  stop(): Promise<void>;
}

/** A free loopback port (listen on 0, read it, close). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Resolves once `port` accepts TCP connections, or rejects after `timeout` ms. */
export const waitForPort = async (port: number, timeout: number, child?: ChildProcess): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it listened on ${port}`);
    const open = await new Promise<boolean>(resolve => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeout} ms`);
};

/**
 * Starts an extra `redis-server` (never the machine's) on a free loopback port with TLS only
 * (`--port 0 --tls-port`), the certificates given, a password, no persistence, in a folder
 * under the certificates' temp folder.
 *
 * @example
 * ```ts
 * import { createTestCertificates, startTlsRedis } from '@tributary/testing/conformance';
 *
 * const certs = createTestCertificates();
 * const redis = await startTlsRedis(certs, 'a-password');
 * // connect to `rediss://:a-password@127.0.0.1:${redis.port}` with { tls: { ca: certs.ca } }
 * await redis.stop();
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const startTlsRedis = async (certs: TestCertificates, password: string): Promise<TlsRedis> => {
  const port = await freePort();
  const dir = path.join(certs.dir, `redis-${port}`);
  fs.mkdirSync(dir);
  const child = spawn(
    'redis-server',
    ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', certs.files.serverCert, '--tls-key-file', certs.files.serverKey, '--tls-ca-cert-file', certs.files.ca, '--tls-auth-clients', 'optional', '--requirepass', password, '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', path.join(dir, 'redis.log')],
    { stdio: 'ignore' },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>(resolve => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 10_000, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
};
