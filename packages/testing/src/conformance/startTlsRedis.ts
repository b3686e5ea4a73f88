import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestCertificates } from './createTestCertificates';
import { freePort, startOwnServer } from './internal/ownServer';

/** A redis-server of a test's own, listening with TLS only. */
export interface TlsRedis {
  readonly port: number;
  /** Stops the server (SIGTERM to its own pid) and removes its folder. */
  stop(): Promise<void>;
}

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
  const stop = await startOwnServer({
    command: 'redis-server',
    args: ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', certs.files.serverCert, '--tls-key-file', certs.files.serverKey, '--tls-ca-cert-file', certs.files.ca, '--tls-auth-clients', 'optional', '--requirepass', password, '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', path.join(dir, 'redis.log')],
    dir,
    port,
    timeout: 10_000,
  });
  return { port, stop };
};
