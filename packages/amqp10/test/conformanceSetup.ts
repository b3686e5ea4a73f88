import { Transport } from '@tributary/messaging';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { DeadLetterRecord, TransportConformanceSetup } from '@tributary/testing/conformance';
import { ArtemisAdmin, ARTEMIS_URL } from './helpers/artemis';
import type { TakenMessage } from './helpers/artemis';

/** Application properties the transport sets: not the user's. */
const TRANSPORT_PROPERTIES = new Set(['x-causation-id', 'x-attempt', 'x-key', 'x-version', 'x-error-name', 'x-error-message', 'x-attempts', 'x-dead-letter-reason', 'x-original-address', 'x-dead-lettered-at']);

const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

const record = ({ message, body, properties }: TakenMessage): DeadLetterRecord => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties)) if (!TRANSPORT_PROPERTIES.has(name)) headers[name] = text(value) ?? '';
  return {
    type: text(message.subject),
    reason: text(properties['x-dead-letter-reason']) ?? '',
    errorName: text(properties['x-error-name']),
    errorMessage: text(properties['x-error-message']),
    attempts: Number(properties['x-attempts']),
    headers,
    body,
  };
};

/** The conformance setup of AMQP 1.0 on Artemis (call it at the top of a test file: it opens and closes its admin connection around the file). */
export const amqp10ConformanceSetup = (): TransportConformanceSetup => {
  const admin = new ArtemisAdmin();
  beforeAll(() => admin.open());
  afterAll(() => admin.close());
  return {
    transport: Transport.AMQP10,
    serviceOptions: (channel, extra) => ({ host: ARTEMIS_URL, channel, ...extra }),
    injectRaw: (channel, bytes) => admin.send(channel, bytes),
    // read without taking: a browsing receiver (the redrive case moves them afterwards)
    readDeadLetters: async channel => (await admin.browse(`${channel}.dead-letter`)).map(record),
    fault: async () => {
      const url = new URL(ARTEMIS_URL);
      const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5672) });
      url.port = String(proxy.port);
      return { options: { host: url.toString() }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
    },
    cleanup: async channels => {
      // the service queue, its dead letters, its subscription queues and their addresses
      for (const channel of channels) {
        await admin.destroyQueues(channel);
      }
    },
    timeoutMs: 30_000,
  };
};
