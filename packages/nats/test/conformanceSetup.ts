import { Transport } from '@tributary/messaging';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { DeadLetterRecord, TransportConformanceSetup } from '@tributary/testing/conformance';
import { NATS_URL, NatsTestBed } from './helpers/natsBed';
import type { StoredDeadLetter } from './helpers/natsBed';

/** Headers the transport or NATS set: not the user's. */
const TRANSPORT_HEADERS = new Set([
  'x-correlation-id',
  'x-reply-to',
  'x-type',
  'x-timestamp-ms',
  'x-causation-id',
  'x-key',
  'x-version',
  'x-error-name',
  'x-error-message',
  'x-attempts',
  'x-dead-letter-reason',
  'x-original-subject',
  'x-message-id',
]);

const record = ({ headers, body }: StoredDeadLetter): DeadLetterRecord => ({
  type: headers['x-type'],
  reason: headers['x-dead-letter-reason'] ?? '',
  errorName: headers['x-error-name'],
  errorMessage: headers['x-error-message'],
  attempts: Number(headers['x-attempts']),
  headers: Object.fromEntries(Object.entries(headers).filter(([key]) => !TRANSPORT_HEADERS.has(key) && !key.startsWith('Nats-'))),
  body,
});

// the admin connection (raw producer, dead-letter reader, cleanup); channels come from the suite
/** The conformance setup of NATS JetStream (call it at the top of a test file: it closes its admin connection after all). */
export const natsConformanceSetup = (): TransportConformanceSetup => {
  const admin = new NatsTestBed();
  afterAll(() => admin.close());
  return {
    transport: Transport.NATS,
    serviceOptions: (channel, extra) => ({ host: NATS_URL, channel, ...extra }),
    injectRaw: (channel, bytes) => admin.injectRaw(channel, bytes),
    readDeadLetters: async channel => (await admin.deadLetters(channel)).map(record),
    fault: async () => {
      const url = new URL(NATS_URL);
      const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 4222) });
      return { options: { host: `nats://${url.hostname}:${proxy.port}` }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
    },
    cleanup: async channels => {
      for (const channel of channels) await admin.deleteChannel(channel);
    },
    capabilities: { orderAcrossInstances: false, redrive: true },
    reasons: {
      orderAcrossInstances: 'instances of a service pull from one consumer side by side; order holds within an instance',
    },
    timeoutMs: 30_000,
  };
};
