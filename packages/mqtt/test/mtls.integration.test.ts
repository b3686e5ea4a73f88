/**
 * Mutual TLS to MQTT for real: a throwaway CA and certificates (openssl), an extra mosquitto of
 * this test's own whose TLS listener requires and verifies client certificates
 * (`require_certificate true`), a password file, no anonymous clients, its own port; the
 * machine's broker on 1883 is never touched. With the client certificate and key (`tls: { ca, cert, key }`) a service and
 * a client emit and send; without a client certificate, or with one signed by another CA, the
 * connection fails at once with a `BrokerTlsError` that says what to fix; neither the password
 * nor the key ever shows in logs or errors.
 */
import { firstValueFrom } from 'rxjs';
import { act, contextFactory, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, reply, Transport } from '@tributary/messaging';
import type { MqttStrategyOptions } from '@tributary/mqtt';
import { captureOutput, createTestCertificates, expectNoSecret, startTlsMosquitto } from '@tributary/testing/conformance';
import type { TestCertificates, TlsMosquitto } from '@tributary/testing/conformance';

const PASSWORD = `s3cr3t-${Math.random().toString(36).slice(2)}`;
let certs: TestCertificates;
let mosquitto: TlsMosquitto;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certs = createTestCertificates();
  mosquitto = await startTlsMosquitto(certs, PASSWORD, { clientCertificates: true });
}, 60_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

afterAll(async () => {
  await mosquitto?.stop();
  certs?.remove();
});

/** A line from the middle of a PEM key (its start is the same in every RSA key): what must never be printed. */
const keyLine = (pem: Buffer): string => pem.toString().split('\n')[5]!;

const options = (channel: string, extra: Partial<MqttStrategyOptions> = {}): MqttStrategyOptions => ({
  host: `mqtts://127.0.0.1:${mosquitto.port}`,
  username: mosquitto.user,
  password: PASSWORD,
  channel,
  tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
  timeout: 5_000,
  ...extra,
});

/** A client that connects and emits once: the connection is opened lazily. */
const connectAndEmit = (extra: Partial<MqttStrategyOptions>) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.MQTT, options: options(`mtls-fail-${Date.now()}`, extra) })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('the server requires client certificates', () => {
  expect(mosquitto.clientCertificates).toBe(true);
});

test('with the client certificate and key: a service and a client emit and send over mqtts:// with mutual TLS', async () => {
  const channel = `mtls-${Date.now()}`;
  const seen: unknown[] = [];
  const service = await (
    await createMicroservice({
      transport: Transport.MQTT,
      options: options(channel),
      listener: messagingListener({
        effects: [
          e$ => e$.pipe(matchEvent('Secure'), act(e => void seen.push(e.payload))),
          e$ => e$.pipe(matchEvent('Double'), act(e => reply(e)({ type: 'Doubled', payload: (e.payload as number) * 2 }))),
        ],
      }),
    })
  )();
  closers.push(() => service.close());
  const client = await MessagingClient({ transport: Transport.MQTT, options: options(channel) })(await contextFactory());
  closers.push(() => client.close());
  await client.emit({ type: 'Secure', payload: 42 });
  const deadline = Date.now() + 10_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
  expect(seen).toEqual([42]);
  const answer = await firstValueFrom(client.send({ type: 'Double', payload: 21 }));
  expect(answer).toMatchObject({ type: 'Doubled', payload: 42 });
}, 30_000);

test('without a client certificate: fails at once with a BrokerTlsError saying to give `cert` and `key`, without the password', async () => {
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ tls: { ca: certs.ca }, timeout: 15_000 }));
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
    connectAndEmit({ tls: { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }, timeout: 15_000 }),
  );
  process.stdout.write(`client certificate of another CA, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerTlsError');
  expect((result as Error).message).toMatch(/refused this client's certificate/);
  expect((result as Error).message).toMatch(/`cert`.*`key`.*signed by a CA the server trusts/);
  expect(elapsed).toBeLessThan(10_000);
  expectNoSecret(result, output, PASSWORD, keyLine(certs.otherClientKey));
}, 30_000);
