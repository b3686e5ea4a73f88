/**
 * TLS to RabbitMQ for real (issue 19, item 5): a throwaway CA and certificates (openssl), an extra
 * RabbitMQ node of this test's own with TLS only, on its own ports (the machine's rabbit@localhost is
 * never touched). An `amqps://` service and client exchange events; a wrong CA fails at once with a
 * `BrokerTlsError` that names the certificate problem and the fix; the password never shows in
 * logs or errors.
 */
import { act, contextFactory, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import { captureOutput, createTestCertificates, expectNoSecret, startTlsRabbitMq } from '@tributary/testing/conformance';
import type { TestCertificates, TlsRabbitMq } from '@tributary/testing/conformance';
import type { AmqpSocketOptions } from '@tributary/amqp';

const PASSWORD = `s3cr3t-${Math.random().toString(36).slice(2)}`;
let certs: TestCertificates;
let rabbit: TlsRabbitMq;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certs = createTestCertificates();
  rabbit = await startTlsRabbitMq(certs, PASSWORD);
}, 90_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

afterAll(async () => {
  await rabbit?.stop();
  certs?.remove();
});

const url = (password = PASSWORD) => `amqps://${rabbit.user}:${password}@127.0.0.1:${rabbit.port}`;

test('amqps:// with the CA: a service and a client exchange events over TLS', async () => {
  const channel = `tls-${Date.now()}`;
  const seen: unknown[] = [];
  const options = { host: url(), queue: channel, socketOptions: { ca: [certs.ca] }, timeout: 5_000 };
  const service = await (
    await createMicroservice({ transport: Transport.AMQP, options, listener: messagingListener({ effects: [e$ => e$.pipe(matchEvent('Secure'), act(e => void seen.push(e.payload)))] }) })
  )();
  closers.push(() => service.close());
  const client = await MessagingClient({ transport: Transport.AMQP, options })(await contextFactory());
  closers.push(() => client.close());
  await client.emit({ type: 'Secure', payload: 42 });
  const deadline = Date.now() + 10_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
  expect(seen).toEqual([42]);
  // and a client certificate is accepted too (mutual TLS)
  const mutual = await MessagingClient({ transport: Transport.AMQP, options: { ...options, socketOptions: { ca: [certs.ca], cert: certs.clientCert, key: certs.clientKey } } })(await contextFactory());
  closers.push(() => mutual.close());
  await mutual.emit({ type: 'Secure', payload: 43 });
});

const connectAndEmit = (options: { host: string; queue: string; socketOptions?: AmqpSocketOptions; timeout: number }) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.AMQP, options })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('a wrong CA fails at once with a BrokerTlsError that names the certificate problem and the fix, without the password', async () => {
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ host: url(), queue: 'tls-wrong-ca', socketOptions: { ca: [certs.otherCa] }, timeout: 15_000 }));
  process.stdout.write(`wrong CA, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerTlsError');
  expect((result as Error).message).toMatch(/certificate/i);
  expect((result as Error).message).toMatch(/`socketOptions: \{ ca: \[/);
  expect(elapsed).toBeLessThan(10_000); // not the 15 s of `timeout`: retrying cannot heal it
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('no CA given (system CAs only): the private certificate fails the same way, at once', async () => {
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ host: url(), queue: 'tls-no-ca', timeout: 15_000 }));
  expect((result as Error).name).toBe('BrokerTlsError');
  expect(elapsed).toBeLessThan(10_000);
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('a wrong password fails at once with a BrokerAuthError saying what to check, without printing either password', async () => {
  const wrong = `wrong-${PASSWORD}`;
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ host: url(wrong), queue: 'tls-wrong-password', socketOptions: { ca: [certs.ca] }, timeout: 15_000 }));
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerAuthError');
  expect((result as Error).message).toMatch(/ACCESS_REFUSED.*check the user name and password in `host`/s);
  expect(elapsed).toBeLessThan(10_000);
  expectNoSecret(result, output, PASSWORD, wrong);
}, 30_000);
