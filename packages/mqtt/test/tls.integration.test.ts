/**
 * TLS to MQTT for real (issue 19, item 5): a throwaway CA and certificates (openssl), an extra
 * mosquitto of this test's own (one TLS listener on its own port, a password file made by
 * mosquitto_passwd, no anonymous clients; the machine's broker on 1883 is never touched). A
 * service and a client with the CA emit and send over `mqtts://`; a wrong CA fails at once with
 * a `BrokerTlsError` that names the certificate problem and the fix; the password never shows
 * in logs or errors.
 */
import { firstValueFrom } from 'rxjs';
import { act, contextFactory, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, reply, Transport } from '@tributary/messaging';
import type { MqttStrategyOptions } from '@tributary/mqtt';
import { captureOutput, createTestCertificates, errorText, expectNoSecret, startTlsMosquitto } from '@tributary/testing/conformance';
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

const options = (channel: string, extra: Partial<MqttStrategyOptions> = {}): MqttStrategyOptions => ({
  host: `mqtts://127.0.0.1:${mosquitto.port}`,
  username: mosquitto.user,
  password: PASSWORD,
  channel,
  tls: { ca: certs.ca },
  timeout: 5_000,
  ...extra,
});

/** A client that connects and emits once: the connection is opened lazily. */
const connectAndEmit = (extra: Partial<MqttStrategyOptions>) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.MQTT, options: options(`tls-fail-${Date.now()}`, extra) })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('mqtts:// with the CA: a service and a client emit and send over TLS (username and password)', async () => {
  const channel = `tls-${Date.now()}`;
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
