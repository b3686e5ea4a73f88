import { BrokerAuthError, BrokerTlsError } from '@tributary/messaging';
import { tlsFailure } from '@tributary/messaging/transport';

const tlsError = (code: string, message = 'handshake failed'): Error => Object.assign(new Error(message), { code });

describe('BrokerTlsError and tlsFailure', () => {
  test.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not signed by a CA this client trusts.*`tls: \{ ca/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /not signed by a CA this client trusts/],
    ['CERT_HAS_EXPIRED', /validity dates: renew it/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /does not name the host.*servername/],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', /requires a client certificate \(mutual TLS\) and this client gave none.*`cert`, `key`.*`tls: \{ ca, cert: .*, key: .* \}`/],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', /refused this client's certificate.*`cert`, `key`.*signed by a CA the server trusts/],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', /refused this client's certificate.*`cert`, `key`/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /does not speak TLS on that port/],
  ])('%s: a typed error naming the cause and the fix', (code, fix) => {
    const error = tlsFailure(tlsError(code), 'nats://u:***@127.0.0.1:4222');
    expect(error).toBeInstanceOf(BrokerTlsError);
    expect(error!.name).toBe('BrokerTlsError');
    expect(error!.code).toBe(code);
    expect(error!.message).toContain('nats://u:***@127.0.0.1:4222');
    expect(error!.message).toContain(`(${code})`);
    expect(error!.message).toMatch(fix);
  });

  test('found in a cause chain; not for other failures', () => {
    expect(tlsFailure(new Error('wrapped', { cause: tlsError('CERT_HAS_EXPIRED') }), 'h')?.code).toBe('CERT_HAS_EXPIRED');
    expect(tlsFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'h')).toBeUndefined();
    expect(tlsFailure(new Error('Authorization Violation'), 'h')).toBeUndefined();
    expect(tlsFailure(undefined, 'h')).toBeUndefined();
  });
});

describe('BrokerAuthError', () => {
  test('names the options to check and the broker refusal, never a credential', () => {
    const error = new BrokerAuthError('nats://app:***@127.0.0.1:4222', new Error('Authorization Violation'), 'the `user` and `pass` (or `token`) options');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BrokerAuthError');
    expect(error.message).toMatch(/refused the credentials \(Authorization Violation\): check the `user` and `pass` \(or `token`\) options/);
    expect(error.message).toContain('nats://app:***@127.0.0.1:4222');
  });

  test('a transport may name where its CA goes', () => {
    expect(tlsFailure(tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'h', 'socketOptions: { ca: [pem] }')?.message).toContain('`socketOptions: { ca: [pem] }`');
    expect(tlsFailure(tlsError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'h', 'socketOptions: { ca: [pem] }')?.message).toMatch(/`socketOptions: \{ ca, cert: /);
  });

  test('a server that answers a missing client certificate with `bad certificate` (Go): "gave none" when the transport knows none was given', () => {
    const code = 'ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE';
    expect(tlsFailure(tlsError(code), 'h', undefined, false)?.message).toMatch(/requires a client certificate \(mutual TLS\) and this client gave none/);
    expect(tlsFailure(tlsError(code), 'h', undefined, true)?.message).toMatch(/refused this client's certificate/);
    expect(tlsFailure(tlsError(code), 'h')?.message).toMatch(/refused this client's certificate/);
  });
});
