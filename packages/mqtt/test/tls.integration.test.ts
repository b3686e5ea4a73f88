/**
 * TLS to MQTT for real (issue 19, item 5): a throwaway CA and certificates (openssl), an extra
 * mosquitto of this test's own (one TLS listener on its own port, a password file made by
 * mosquitto_passwd, no anonymous clients; the machine's broker on 1883 is never touched). A
 * service and a client with the CA emit and send over `mqtts://`; a wrong CA fails at once with
 * a `BrokerTlsError` that names the certificate problem and the fix; the password never shows
 * in logs or errors.
 *
 * Mutual TLS: a second mosquitto whose TLS listener requires and verifies client certificates
 * (`require_certificate true`). With the client certificate and key (`tls: { ca, cert, key }`) a
 * service and a client emit and send; without one, or with one signed by another CA, the
 * connection fails at once with a `BrokerTlsError` that says what to fix, the password and the
 * key never shown.
 */
import { contextFactory } from '@tributary/core';
import { MessagingClient, Transport } from '@tributary/messaging';
import type { MqttStrategyOptions } from '@tributary/mqtt';
import { captureOutput, createTestCertificates, emitAndSend, errorText, expectNoSecret, startTlsMosquitto } from '@tributary/testing/conformance';
import type { TestCertificates, TlsMosquitto } from '@tributary/testing/conformance';

const PASSWORD = `s3cr3t-${Math.random().toString(36).slice(2)}`;
let certs: TestCertificates;
let mosquitto: TlsMosquitto;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certs = createTestCertificates();
  mosquitto = await startTlsMosquitto(certs, PASSWORD);
}, 60_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

afterAll(async () => {
  await mosquitto?.stop();
  certs?.remove();
});

const options = (channel: string, extra: Partial<MqttStrategyOptions> = {}, server: TlsMosquitto = mosquitto): MqttStrategyOptions => ({
  host: `mqtts://127.0.0.1:${server.port}`,
  username: server.user,
  password: PASSWORD,
  channel,
  tls: { ca: certs.ca },
  timeout: 5_000,
  ...extra,
});

/** A client that connects and emits once: the connection is opened lazily. */
const connectAndEmit = (extra: Partial<MqttStrategyOptions>, server: TlsMosquitto = mosquitto) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.MQTT, options: options(`tls-fail-${Date.now()}`, extra, server) })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('mqtts:// with the CA: a service and a client emit and send over TLS (username and password)', async () => {
  const { received, answer } = await emitAndSend(Transport.MQTT, options(`tls-${Date.now()}`));
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

test('no CA given (system CAs only): the private certificate fails the same way', async () => {
  const { result, output } = await captureOutput(() => connectAndEmit({ tls: undefined, timeout: 15_000 }));
  expect((result as Error).name).toBe('BrokerTlsError');
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('a wrong password fails without printing either password', async () => {
  const wrong = `wrong-${PASSWORD}`;
  const { result, output } = await captureOutput(() => connectAndEmit({ password: wrong, timeout: 5_000 }));
  process.stdout.write(`wrong password: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect((result as Error).name).toBe('BrokerAuthError');
  expect((result as Error).message).toMatch(/refused the credentials .*check the `username` and `password` options/);
  expect(errorText(result)).toMatch(/not authori[sz]ed|bad user name or password|refused/i);
  expectNoSecret(result, output, PASSWORD, wrong);
}, 30_000);

describe('mutual TLS: a server of its own that requires client certificates', () => {
  let mutual: TlsMosquitto;

  beforeAll(async () => {
    mutual = await startTlsMosquitto(certs, PASSWORD, { clientCertificates: true });
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

  test('with the client certificate and key: a service and a client emit and send over mqtts:// with mutual TLS', async () => {
    const { received, answer } = await emitAndSend(Transport.MQTT, options(`mtls-${Date.now()}`, { tls: clientCertificate() }, mutual));
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
});
