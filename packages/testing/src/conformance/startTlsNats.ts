import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestCertificates } from './createTestCertificates';
import { freePort, startOwnServer } from './internal/ownServer';
import { serverOptions } from './TlsServerOptions';
import type { TlsServerOptions } from './TlsServerOptions';

/** A nats-server of a test's own, requiring TLS and a user/password, with JetStream. */
export interface TlsNats {
  readonly port: number;
  readonly user: string;
  /** Whether it requires and verifies client certificates (mutual TLS). @since 0.3.0 */
  readonly clientCertificates: boolean;
  /** The server's log file. */
  readonly logFile: string;
  /** Stops the server (SIGTERM to its own pid) and removes its folder. */
  stop(): Promise<void>;
}

const NATS_SERVER = process.env.NATS_SERVER ?? 'nats-server';

/** A string as a NATS config value (double-quoted, escaped). */
const quoted = (value: string): string => JSON.stringify(value);

/**
 * Starts an extra `nats-server` (never the machine's on 4222) on a free loopback port: TLS
 * required (the certificates given; client certificates not requested unless
 * `{ clientCertificates: true }`), a user and a password, JetStream with its own store
 * folder, no monitoring port, no cluster; logs to a file, all in a folder under the
 * certificates' temp folder. The third argument is the user name (default `tributary-tls`)
 * or {@link TlsServerOptions}; with `clientCertificates: true` the server has `verify: true`:
 * it requires a client certificate signed by `certs.ca`, and still the user and password.
 *
 * @example
 * ```ts
 * import { createTestCertificates, startTlsNats } from '@tributary/testing/conformance';
 *
 * const certs = createTestCertificates();
 * const nats = await startTlsNats(certs, 'a-password');
 * // connect to `nats://127.0.0.1:${nats.port}` with { user: nats.user, pass: 'a-password', tls: { ca: certs.ca } }
 * await nats.stop();
 *
 * // mutual TLS: a client certificate is required (and verified against certs.ca)
 * const mutual = await startTlsNats(certs, 'a-password', { clientCertificates: true });
 * // connect with { user: mutual.user, pass: 'a-password', tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } }
 * await mutual.stop();
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const startTlsNats = async (certs: TestCertificates, password: string, options?: string | TlsServerOptions): Promise<TlsNats> => {
  const { user, clientCertificates } = serverOptions(options);
  const port = await freePort();
  const dir = path.join(certs.dir, `nats-${port}`);
  fs.mkdirSync(path.join(dir, 'jetstream'), { recursive: true });
  const config = path.join(dir, 'nats.conf');
  const logFile = path.join(dir, 'nats.log');
  fs.writeFileSync(
    config,
    [
      `listen: "127.0.0.1:${port}"`,
      `server_name: ${quoted(`tributary-tls-${port}`)}`,
      `log_file: ${quoted(logFile)}`,
      'tls {',
      `  cert_file: ${quoted(certs.files.serverCert)}`,
      `  key_file: ${quoted(certs.files.serverKey)}`,
      `  ca_file: ${quoted(certs.files.ca)}`,
      ...(clientCertificates ? ['  verify: true'] : []),
      '  timeout: 2',
      '}',
      'authorization {',
      `  user: ${quoted(user)}`,
      `  password: ${quoted(password)}`,
      '}',
      'jetstream {',
      `  store_dir: ${quoted(path.join(dir, 'jetstream'))}`,
      '  max_memory_store: 64MB',
      '  max_file_store: 256MB',
      '}',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const stop = await startOwnServer({ command: NATS_SERVER, args: ['-c', config], dir, port, timeout: 15_000 });
  return { port, user, clientCertificates, logFile, stop };
};
