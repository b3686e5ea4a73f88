import { CoreError } from '@tributary/core';

/** OpenSSL's verification codes (Node's `error.code`) meaning: no CA this client trusts signed the server's certificate. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

const isTlsCode = (code: string | undefined): code is string =>
  code !== undefined && (UNTRUSTED.has(code) || EXPIRED.has(code) || /^ERR_(TLS|SSL)_/.test(code) || /CERT/.test(code));

/** Where most transports take the CA (NATS, MQTT, Redis); AMQP passes its own. */
const DEFAULT_CA_OPTION = "tls: { ca: fs.readFileSync('ca.pem') }";

/** Alerts by which a server refuses the client's certificate (mutual TLS). */
const CLIENT_CERTIFICATE_REFUSED = /ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_UNSUPPORTED_CERTIFICATE|ALERT_CERTIFICATE_(UNKNOWN|EXPIRED|REVOKED)/;

const fix = (code: string, caOption: string, clientCertificate: boolean | undefined): string => {
  if (UNTRUSTED.has(code)) {
    return "The server's certificate is not signed by a CA this client trusts: give the certificate of the CA that signed it " +
      `in the transport's TLS options (e.g. \`${caOption}\`), or fix the server's certificate chain.`;
  }
  if (EXPIRED.has(code)) return "The server's certificate is outside its validity dates: renew it (or check the clocks of both machines).";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return 'The certificate does not name the host connected to: connect with a name (or IP) the certificate lists, or set `servername` in the TLS options.';
  }
  // mutual TLS: the server verifies the client's certificate (the options object is named as in caOption: `tls`, `socketOptions`)
  const mutual = `\`${caOption.split(':')[0]}: { ca, cert: fs.readFileSync('client.pem'), key: fs.readFileSync('client-key.pem') }\``;
  // some servers (Go's TLS: nats-server) answer a missing client certificate with `bad certificate`
  if (/CERTIFICATE_REQUIRED/.test(code) || (clientCertificate === false && CLIENT_CERTIFICATE_REFUSED.test(code))) {
    return `The server requires a client certificate (mutual TLS) and this client gave none: give the client's certificate and key (\`cert\`, \`key\`) beside \`ca\` in the transport's TLS options, e.g. ${mutual}.`;
  }
  if (CLIENT_CERTIFICATE_REFUSED.test(code)) {
    return "The server refused this client's certificate: give a client certificate and key (`cert`, `key`) signed by a CA the server trusts, " +
      `valid today and allowed for client authentication, e.g. ${mutual}.`;
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return 'The server does not speak TLS on that port: use its TLS port, or a plain URL for a plain port.';
  return 'Check the TLS options (`ca`, `cert`, `key`) against the server\'s TLS configuration.';
};

/**
 * The TLS handshake with the broker failed (an untrusted or expired certificate, a host name
 * the certificate does not list, a client certificate the server refused). Retrying does not
 * heal it, so the connection fails at once, with `code` (OpenSSL's or Node's) and a message
 * saying what to fix. Credentials never appear in it (`host` has its password masked).
 *
 * @example
 * ```ts
 * import { BrokerTlsError } from '@tributary/messaging';
 *
 * const error = new BrokerTlsError('nats://127.0.0.1:4222', Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }));
 * error.name; // 'BrokerTlsError'
 * error.code; // 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class BrokerTlsError extends CoreError {
  override readonly name = 'BrokerTlsError';
  /** The TLS error code, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE` or `ERR_TLS_CERT_ALTNAME_INVALID`. */
  readonly code: string;
  /**
   * @param host the broker address, its password masked
   * @param caOption how this transport's options give a CA, for the message (default `tls: { ca: fs.readFileSync('ca.pem') }`)
   * @param clientCertificate whether the client gave a certificate of its own (mutual TLS), when known: a server that refuses the client's certificate then gets the message "gave none"
   */
  constructor(
    readonly host: string,
    cause: unknown,
    caOption = DEFAULT_CA_OPTION,
    clientCertificate?: boolean,
  ) {
    const code = codeOf(cause) ?? 'TLS';
    super(`The TLS handshake with the broker at ${host} failed: ${String((cause as Error)?.message ?? cause).trim()} (${code}). ${fix(code, caOption, clientCertificate)}`, {
      context: 'messaging.transport',
      cause,
    });
    this.code = code;
  }
}

/**
 * For transport authors: a `BrokerTlsError` when `error` (or one of its causes) is a TLS
 * handshake failure, else `undefined`. `host` must already have its password masked;
 * `caOption` says how the transport's options give a CA, when not as `tls: { ca }`;
 * `clientCertificate`, whether the client gave a certificate of its own (when known: the
 * message then says "gave none" when the server refuses a missing one).
 *
 * @example
 * ```ts
 * import { tlsFailure } from '@tributary/messaging/transport';
 *
 * const error = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
 * tlsFailure(error, 'mqtts://127.0.0.1:8883')?.name; // 'BrokerTlsError'
 * tlsFailure(new Error('ECONNREFUSED'), 'mqtts://127.0.0.1:8883'); // undefined
 * ```
 * @since 0.2.0
 * @category transport
 */
export const tlsFailure = (error: unknown, host: string, caOption?: string, clientCertificate?: boolean): BrokerTlsError | undefined => {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BrokerTlsError) return e;
    if (isTlsCode(codeOf(e))) return new BrokerTlsError(host, e, caOption, clientCertificate);
  }
  return undefined;
};
