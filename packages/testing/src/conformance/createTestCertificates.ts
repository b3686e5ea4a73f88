import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A throwaway certificate authority with a server and a client certificate, as PEM files in a temp folder. */
export interface TestCertificates {
  /** The temp folder (remove it with `remove()`). */
  readonly dir: string;
  /** Paths of the PEM files. */
  readonly files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string; otherCa: string };
  /** The CA certificate, the client certificate and key, and another CA that signed nothing here (for wrong-CA tests). */
  readonly ca: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  readonly otherCa: Buffer;
  remove(): void;
}

const openssl = (dir: string, args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

const authority = (dir: string, name: string): void => {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
};

const signed = (dir: string, name: string, extensions: string): void => {
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
};

/**
 * Generates a throwaway CA, a server certificate for `127.0.0.1` / `localhost` and a client
 * certificate with `openssl` (which must be installed), for tests of TLS connections.
 *
 * @example
 * ```ts
 * import { createTestCertificates } from '@tributary/testing/conformance';
 *
 * const certs = createTestCertificates();
 * // start a broker with certs.files.serverCert / serverKey / ca, connect with { ca: certs.ca }
 * certs.remove();
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const createTestCertificates = (): TestCertificates => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-tls-'));
  authority(dir, 'ca');
  authority(dir, 'other-ca');
  signed(dir, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => path.join(dir, name);
  const files = { ca: file('ca.crt'), serverCert: file('server.crt'), serverKey: file('server.key'), clientCert: file('client.crt'), clientKey: file('client.key'), otherCa: file('other-ca.crt') };
  for (const key of [files.serverKey, files.clientKey]) fs.chmodSync(key, 0o644);
  return {
    dir,
    files,
    ca: fs.readFileSync(files.ca),
    clientCert: fs.readFileSync(files.clientCert),
    clientKey: fs.readFileSync(files.clientKey),
    otherCa: fs.readFileSync(files.otherCa),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
};
