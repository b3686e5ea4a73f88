/**
 * TLS to NATS for real (issue 19, item 5): a throwaway CA and certificates (openssl), an extra
 * nats-server of this test's own (TLS required, a user and a password, JetStream in its own
 * folder, its own port; the machine's server on 4222 is never touched). A service and a client
 * with the CA emit and send over TLS; a wrong CA fails at once with a `BrokerTlsError` that
 * names the certificate problem and the fix, a wrong password at once with a `BrokerAuthError`;
 * the password never shows in logs or errors.
 *
 * Mutual TLS: a second nats-server that requires and verifies client certificates (`verify:
 * true`). With the client certificate and key (`tls: { ca, cert, key }`) a service and a client
 * emit and send; without one, or with one signed by another CA, the connection fails at once
 * with a `BrokerTlsError` that says what to fix, the password and the key never shown. "At
 * once" is about a second: over TLS 1.3 the server checks the client's certificate after the
 * client's side of the handshake has ended, and nats.js (3.4) drops the server's alert while it
 * waits for its first PONG, so its connect only times out; the transport repeats the handshake
 * alone when a connect is still pending after a second (`probeClientCertificate`).
 */
import { contextFactory } from '@tributary/core';
import { MessagingClient, Transport } from '@tributary/messaging';
import type { NatsStrategyOptions } from '@tributary/nats';
import { captureOutput, createTestCertificates, emitAndSend, errorText, expectNoSecret, startTlsNats } from '@tributary/testing/conformance';
import type { TestCertificates, TlsNats } from '@tributary/testing/conformance';
import { probeClientCertificate } from '../src/internal/probeTls';

const PASSWORD = `s3cr3t-${Math.random().toString(36).slice(2)}`;
let certs: TestCertificates;
let nats: TlsNats;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certs = createTestCertificates();
  nats = await startTlsNats(certs, PASSWORD);
}, 60_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

afterAll(async () => {
  await nats?.stop();
  certs?.remove();
});

const options = (channel: string, extra: Partial<NatsStrategyOptions> = {}, server: TlsNats = nats): NatsStrategyOptions => ({
  host: `nats://127.0.0.1:${server.port}`,
  user: server.user,
  pass: PASSWORD,
  channel,
  tls: { ca: certs.ca },
  storage: 'memory',
  timeout: 5_000,
  ...extra,
});

/** A client that connects and emits once: the connection is opened lazily. */
const connectAndEmit = (extra: Partial<NatsStrategyOptions>, server: TlsNats = nats) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.NATS, options: options(`tls-fail-${Date.now()}`, extra, server) })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('with the CA: a service and a client emit and send over TLS (user and password)', async () => {
  const { received, answer } = await emitAndSend(Transport.NATS, options(`tls-${Date.now()}`));
  expect(received).toEqual([42]);
  expect(answer).toMatchObject({ type: 'Doubled', payload: 42 });
}, 30_000);

test('a wrong CA fails at once with a BrokerTlsError that names the certificate problem and the fix, without the password', async () => {
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ tls: { ca: certs.otherCa }, timeout: 15_000 }));
  process.stdout.write(`wrong CA, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerTlsError');
  expect((result as Error).message).toMatch(/certificate/i);
  expect((result as Error).message).toMatch(/`tls: \{ ca/);
  expect(elapsed).toBeLessThan(10_000); // not the 15 s of `timeout`: retrying cannot heal it
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('no CA given (system CAs only): the server requires TLS, and the private certificate fails the same way', async () => {
  const { result, output } = await captureOutput(() => connectAndEmit({ tls: undefined, timeout: 15_000 }));
  expect((result as Error).name).toBe('BrokerTlsError');
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('a wrong password fails at once with a BrokerAuthError saying which options to check, without printing either password', async () => {
  const wrong = `wrong-${PASSWORD}`;
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ pass: wrong, timeout: 15_000 }));
  process.stdout.write(`wrong password, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerAuthError');
  expect((result as Error).message).toMatch(/refused the credentials.*check the `user` and `pass` options/);
  expect(elapsed).toBeLessThan(10_000);
  expect(errorText(result)).toMatch(/authoriz|authenticat|password/i);
  expectNoSecret(result, output, PASSWORD, wrong);
}, 30_000);

describe('mutual TLS: a server of its own that requires client certificates', () => {
  let mutual: TlsNats;

  beforeAll(async () => {
    mutual = await startTlsNats(certs, PASSWORD, { clientCertificates: true });
  }, 60_000);

  afterAll(async () => {
    await mutual?.stop();
  });

  /** The CA, and the client certificate and key it signed. */
  const clientCertificate = () => ({ ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });

  /** A line from the middle of a PEM key (its start is the same in every RSA key): what must never be printed. */
  const keyLine = (pem: Buffer): string => pem.toString().split('\n')[5]!;

  test('the server requires client certificates', () => {
    expect(mutual.clientCertificates).toBe(true);
  });

  test('with the client certificate and key: a service and a client emit and send over mutual TLS', async () => {
    const { received, answer } = await emitAndSend(Transport.NATS, options(`mtls-${Date.now()}`, { tls: clientCertificate() }, mutual));
    expect(received).toEqual([42]);
    expect(answer).toMatchObject({ type: 'Doubled', payload: 42 });
  }, 30_000);

  test('without a client certificate: fails at once with a BrokerTlsError saying to give `cert` and `key`, without the password', async () => {
    const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ tls: { ca: certs.ca }, timeout: 15_000 }, mutual));
    process.stdout.write(`no client certificate, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).name).toBe('BrokerTlsError');
    expect((result as Error).message).toMatch(/requires a client certificate \(mutual TLS\) and this client gave none/);
    expect((result as Error).message).toMatch(/`cert`.*`key`.*`tls: \{ ca, cert: .*, key: .* \}`/);
    expect(elapsed).toBeLessThan(10_000); // not the 15 s of `timeout`: retrying cannot heal it
    expectNoSecret(result, output, PASSWORD, keyLine(certs.clientKey));
  }, 30_000);

  test('with a client certificate signed by another CA: refused at once with a BrokerTlsError, without the password or the key', async () => {
    const { result, output, elapsed } = await captureOutput(() =>
      connectAndEmit({ tls: { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }, timeout: 15_000 }, mutual),
    );
    process.stdout.write(`client certificate of another CA, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).name).toBe('BrokerTlsError');
    expect((result as Error).message).toMatch(/refused this client's certificate/);
    expect((result as Error).message).toMatch(/`cert`.*`key`.*signed by a CA the server trusts/);
    expect(elapsed).toBeLessThan(10_000);
    expectNoSecret(result, output, PASSWORD, keyLine(certs.otherClientKey));
  }, 30_000);

  test('the check behind it (the TLS handshake alone): the refusal with its alert, nothing for an accepted certificate or a closed port', async () => {
    const server = `nats://127.0.0.1:${mutual.port}`;
    const accepted = await probeClientCertificate(server, clientCertificate(), 3_000);
    expect(accepted).toBeUndefined();
    const none = await probeClientCertificate(server, { ca: certs.ca }, 3_000);
    expect((none as { code?: string } | undefined)?.code).toMatch(/^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED)$/);
    const other = await probeClientCertificate(server, { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }, 3_000);
    expect((other as { code?: string } | undefined)?.code).toMatch(/^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|UNKNOWN_CA)$/);
    // nothing listening
    expect(await probeClientCertificate('nats://127.0.0.1:1', {}, 3_000)).toBeUndefined();
  }, 30_000);
});
