import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestCertificates } from './createTestCertificates';
import { freePort, startOwnServer } from './internal/ownServer';
import { serverOptions } from './TlsServerOptions';
import type { TlsServerOptions } from './TlsServerOptions';

/** A Mosquitto of a test's own, with one TLS listener and a password file. */
export interface TlsMosquitto {
  readonly port: number;
  readonly user: string;
  /** Whether it requires and verifies client certificates (mutual TLS). @since 0.3.0 */
  readonly clientCertificates: boolean;
  /** The broker's log file. */
  readonly logFile: string;
  /** Stops the broker (SIGTERM to its own pid) and removes its folder. */
  stop(): Promise<void>;
}

const MOSQUITTO = process.env.MOSQUITTO ?? 'mosquitto';
const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD ?? 'mosquitto_passwd';

/**
 * Starts an extra `mosquitto` (never the machine's on 1883) with one TLS listener on a free
 * loopback port (the certificates given; client certificates not requested unless
 * `{ clientCertificates: true }`), anonymous clients refused, one user in a password file
 * made by `mosquitto_passwd`, no persistence; config, password file and log in a folder under
 * the certificates' temp folder. Started as root, it stays root (`user root`): the temp
 * folder is not readable by the `mosquitto` user. The third argument is the user name
 * (default `tributary-tls`) or {@link TlsServerOptions}; with `clientCertificates: true` the
 * listener has `require_certificate true`: it requires a client certificate signed by
 * `certs.ca`, and still the user name and password (the certificate is not the identity).
 *
 * @example
 * ```ts
 * import { createTestCertificates, startTlsMosquitto } from '@tributary/testing/conformance';
 *
 * const certs = createTestCertificates();
 * const mosquitto = await startTlsMosquitto(certs, 'a-password');
 * // connect to `mqtts://127.0.0.1:${mosquitto.port}` with { username: mosquitto.user, password: 'a-password', tls: { ca: certs.ca } }
 * await mosquitto.stop();
 *
 * // mutual TLS: a client certificate is required (and verified against certs.ca)
 * const mutual = await startTlsMosquitto(certs, 'a-password', { clientCertificates: true });
 * // connect with { username: mutual.user, password: 'a-password', tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } }
 * await mutual.stop();
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const startTlsMosquitto = async (certs: TestCertificates, password: string, options?: string | TlsServerOptions): Promise<TlsMosquitto> => {
  const { user, clientCertificates } = serverOptions(options);
  const port = await freePort();
  const dir = path.join(certs.dir, `mosquitto-${port}`);
  fs.mkdirSync(dir);
  const passwords = path.join(dir, 'passwd');
  const logFile = path.join(dir, 'mosquitto.log');
  const config = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(passwords, '', { mode: 0o600 });
  execFileSync(MOSQUITTO_PASSWD, ['-b', passwords, user, password], { stdio: 'pipe' });
  fs.writeFileSync(
    config,
    [
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'per_listener_settings false',
      'allow_anonymous false',
      `password_file ${passwords}`,
      'persistence false',
      `log_dest file ${logFile}`,
      'log_type all',
      `listener ${port} 127.0.0.1`,
      `cafile ${certs.files.ca}`,
      `certfile ${certs.files.serverCert}`,
      `keyfile ${certs.files.serverKey}`,
      `require_certificate ${clientCertificates}`,
      '',
    ].join('\n'),
  );
  const stop = await startOwnServer({ command: MOSQUITTO, args: ['-c', config], dir, port, timeout: 15_000 });
  return { port, user, clientCertificates, logFile, stop };
};
