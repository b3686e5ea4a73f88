/**
 * TLS to Redis for real (issue 19, item 5): a throwaway CA and certificates (openssl), an extra
 * redis-server of this test's own with TLS only, on its own port (the machine's Redis is never
 * touched). A `rediss://` service and client exchange events; a wrong CA fails at once with a
 * `BrokerTlsError` that names the certificate problem and the fix, a wrong password at once with
 * a `BrokerAuthError`; the password never shows in logs or errors.
 */
import { act, contextFactory, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import { captureOutput, createTestCertificates, expectNoSecret, startTlsRedis } from '@tributary/testing/conformance';
import type { TestCertificates, TlsRedis } from '@tributary/testing/conformance';

const PASSWORD = `s3cr3t-${Math.random().toString(36).slice(2)}`;
let certs: TestCertificates;
let redis: TlsRedis;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certs = createTestCertificates();
  redis = await startTlsRedis(certs, PASSWORD);
}, 60_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

afterAll(async () => {
  await redis?.stop();
  certs?.remove();
});

const url = (password = PASSWORD) => `rediss://:${password}@127.0.0.1:${redis.port}`;

test('rediss:// with the CA: a streams service and a client exchange events over TLS', async () => {
  const channel = `tls-${Date.now()}`;
  const seen: unknown[] = [];
  const options = { host: url(), channel, mode: 'streams' as const, tls: { ca: certs.ca }, timeout: 5_000 };
  const service = await (
    await createMicroservice({ transport: Transport.REDIS, options, listener: messagingListener({ effects: [e$ => e$.pipe(matchEvent('Secure'), act(e => void seen.push(e.payload)))] }) })
  )();
  closers.push(() => service.close());
  const client = await MessagingClient({ transport: Transport.REDIS, options })(await contextFactory());
  closers.push(() => client.close());
  await client.emit({ type: 'Secure', payload: 42 });
  const deadline = Date.now() + 10_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
  expect(seen).toEqual([42]);
  // and a client certificate is accepted too (mutual TLS)
  const mutual = await MessagingClient({ transport: Transport.REDIS, options: { ...options, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } } })(await contextFactory());
  closers.push(() => mutual.close());
  await mutual.emit({ type: 'Secure', payload: 43 });
});

const connectAndEmit = (options: { host: string; channel: string; tls?: object; timeout: number }) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.REDIS, options: { mode: 'streams', ...options } })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('a wrong CA fails at once with a BrokerTlsError that names the certificate problem and the fix, without the password', async () => {
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ host: url(), channel: 'tls-wrong-ca', tls: { ca: certs.otherCa }, timeout: 15_000 }));
  process.stdout.write(`wrong CA, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerTlsError');
  expect((result as Error).message).toMatch(/certificate/i);
  expect((result as Error).message).toMatch(/`tls: \{ ca/);
  expect(elapsed).toBeLessThan(10_000); // not the 15 s of `timeout`: retrying cannot heal it
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('no CA given (system CAs only): the private certificate fails the same way, at once', async () => {
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ host: url(), channel: 'tls-no-ca', tls: {}, timeout: 15_000 }));
  expect((result as Error).name).toBe('BrokerTlsError');
  expect(elapsed).toBeLessThan(10_000);
  expectNoSecret(result, output, PASSWORD);
}, 30_000);

test('a wrong password fails at once with a BrokerAuthError saying what to check, without printing either password', async () => {
  const wrong = `wrong-${PASSWORD}`;
  const { result, output, elapsed } = await captureOutput(() => connectAndEmit({ host: url(wrong), channel: 'tls-wrong-password', tls: { ca: certs.ca }, timeout: 15_000 }));
  process.stdout.write(`wrong password, after ${elapsed} ms: ${(result as Error).name}: ${(result as Error).message}\n`);
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('BrokerAuthError');
  expect((result as Error).message).toMatch(/WRONGPASS.*check the `password` option/);
  expect(elapsed).toBeLessThan(10_000);
  expectNoSecret(result, output, PASSWORD, wrong);
}, 30_000);
