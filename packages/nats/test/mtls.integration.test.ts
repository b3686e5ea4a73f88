/**
 * Mutual TLS to NATS for real: a throwaway CA and certificates (openssl), an extra nats-server
 * of this test's own that requires and verifies client certificates (`verify: true`), a user
 * and a password, JetStream in its own folder, its own port; the machine's server on 4222 is
 * never touched. With the client certificate and key (`tls: { ca, cert, key }`) a service and
 * a client emit and send; without a client certificate, or with one signed by another CA, the
 * connection fails at once with a `BrokerTlsError` that says what to fix; neither the password
 * nor the key ever shows in logs or errors.
 *
 * "At once" is about a second here: over TLS 1.3 the server checks the client's certificate
 * after the client's side of the handshake has ended, and nats.js (3.4) drops the server's alert
 * while it waits for its first PONG, so its connect only times out (before the transport's
 * check: `BrokerUnavailableError` after the whole 15 s `timeout`). The transport repeats the
 * handshake alone when a connect is still pending after a second (`probeClientCertificate`).
 */
import { firstValueFrom } from 'rxjs';
import { act, contextFactory, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, reply, Transport } from '@tributary/messaging';
import type { NatsStrategyOptions } from '@tributary/nats';
import { captureOutput, createTestCertificates, expectNoSecret, startTlsNats } from '@tributary/testing/conformance';
import type { TestCertificates, TlsNats } from '@tributary/testing/conformance';
import { probeClientCertificate } from '../src/internal/probeTls';

const PASSWORD = `s3cr3t-${Math.random().toString(36).slice(2)}`;
let certs: TestCertificates;
let nats: TlsNats;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certs = createTestCertificates();
  nats = await startTlsNats(certs, PASSWORD, { clientCertificates: true });
}, 60_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

afterAll(async () => {
  await nats?.stop();
  certs?.remove();
});

/** A line from the middle of a PEM key (its start is the same in every RSA key): what must never be printed. */
const keyLine = (pem: Buffer): string => pem.toString().split('\n')[5]!;

const options = (channel: string, extra: Partial<NatsStrategyOptions> = {}): NatsStrategyOptions => ({
  host: `nats://127.0.0.1:${nats.port}`,
  user: nats.user,
  pass: PASSWORD,
  channel,
  tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
  storage: 'memory',
  timeout: 5_000,
  ...extra,
});

/** A client that connects and emits once: the connection is opened lazily. */
const connectAndEmit = (extra: Partial<NatsStrategyOptions>) =>
  contextFactory()
    .then(context => MessagingClient({ transport: Transport.NATS, options: options(`mtls-fail-${Date.now()}`, extra) })(context))
    .then(async client => {
      closers.push(() => client.close());
      await client.emit({ type: 'Never' });
      return client;
    });

test('the server requires client certificates', () => {
  expect(nats.clientCertificates).toBe(true);
});

test('with the client certificate and key: a service and a client emit and send over mutual TLS', async () => {
  const channel = `mtls-${Date.now()}`;
  const seen: unknown[] = [];
  const service = await (
    await createMicroservice({
      transport: Transport.NATS,
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
  const client = await MessagingClient({ transport: Transport.NATS, options: options(channel) })(await contextFactory());
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

test('the check behind it (the TLS handshake alone): the refusal with its alert, nothing for an accepted certificate or a closed port', async () => {
  const server = `nats://127.0.0.1:${nats.port}`;
  const accepted = await probeClientCertificate(server, { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }, 3_000);
  expect(accepted).toBeUndefined();
  const none = await probeClientCertificate(server, { ca: certs.ca }, 3_000);
  expect((none as { code?: string } | undefined)?.code).toMatch(/^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED)$/);
  const other = await probeClientCertificate(server, { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }, 3_000);
  expect((other as { code?: string } | undefined)?.code).toMatch(/^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|UNKNOWN_CA)$/);
  // nothing listening
  expect(await probeClientCertificate('nats://127.0.0.1:1', {}, 3_000)).toBeUndefined();
}, 30_000);
