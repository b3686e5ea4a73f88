/**
 * How `startTlsNats` and `startTlsMosquitto` set up their server, beyond the certificates and
 * the password (given as the third argument; a string there is `user`, as before).
 *
 * @example
 * ```ts
 * import { createTestCertificates, startTlsNats } from '@tributary/testing/conformance';
 * import type { TlsServerOptions } from '@tributary/testing/conformance';
 *
 * const certs = createTestCertificates();
 * const mutual: TlsServerOptions = { clientCertificates: true };
 * const nats = await startTlsNats(certs, 'a-password', mutual);
 * // clients now need { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } }
 * await nats.stop();
 * ```
 * @since 0.3.0
 * @category conformance
 */
export interface TlsServerOptions {
  /** The user of the password. Default `tributary-tls`. */
  readonly user?: string;
  /**
   * Mutual TLS: the server requires a client certificate signed by `certs.ca` and refuses the
   * handshake without one (or with one signed by another CA). The user and password are still
   * required, as without it. Default `false`: client certificates are not requested.
   */
  readonly clientCertificates?: boolean;
}

/** The third argument of the starters: a user name (as before) or the options. */
export const serverOptions = (options: string | TlsServerOptions | undefined): { user: string; clientCertificates: boolean } => {
  const given = typeof options === 'string' ? { user: options } : (options ?? {});
  return { user: given.user ?? 'tributary-tls', clientCertificates: given.clientCertificates === true };
};
