import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A throwaway certificate authority with a server and a client certificate, as PEM files in a temp folder. */
export interface TestCertificates {
  /** The temp folder (remove it with `remove()`). */
  readonly dir: string;
  /** Paths of the PEM files. */
  readonly files: {
    ca: string;
    serverCert: string;
    serverKey: string;
    clientCert: string;
    clientKey: string;
    otherCa: string;
    otherClientCert: string;
    otherClientKey: string;
  };
  /** The CA certificate, the client certificate and key, and another CA that signed no server certificate here (for wrong-CA tests). */
  readonly ca: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  readonly otherCa: Buffer;
  /**
   * A client certificate (`extendedKeyUsage=clientAuth`) and key signed by the other CA, not
   * by `ca`: a server that verifies client certificates against `ca` refuses it (mutual TLS tests).
   * @since 0.3.0
   */
  readonly otherClientCert: Buffer;
  readonly otherClientKey: Buffer;
  remove(): void;
}

const openssl = (dir: string, args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

const authority = (dir: string, name: string): void => {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
};

const signed = (dir: string, name: string, extensions: string, by = 'ca'): void => {
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.crt`, '-CAkey', `${by}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
};

/**
 * Generates a throwaway CA, a server certificate for `127.0.0.1` / `localhost` and a client
 * certificate with `openssl` (which must be installed), for tests of TLS connections; and
 * another CA with a client certificate of its own (`otherClientCert`, for mutual TLS tests).
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
  signed(dir, 'other-client', 'extendedKeyUsage=clientAuth\n', 'other-ca');
  const file = (name: string) => path.join(dir, name);
  const files = {
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCa: file('other-ca.crt'),
    otherClientCert: file('other-client.crt'),
    otherClientKey: file('other-client.key'),
  };
  for (const key of [files.serverKey, files.clientKey, files.otherClientKey]) fs.chmodSync(key, 0o644);
  return {
    dir,
    files,
    ca: fs.readFileSync(files.ca),
    clientCert: fs.readFileSync(files.clientCert),
    clientKey: fs.readFileSync(files.clientKey),
    otherCa: fs.readFileSync(files.otherCa),
    otherClientCert: fs.readFileSync(files.otherClientCert),
    otherClientKey: fs.readFileSync(files.otherClientKey),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
};
