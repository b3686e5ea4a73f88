import type { GetMessage } from 'amqplib';
import { Transport } from '@tributary/messaging';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { createTcpProxy, describeTransportConformance } from '@tributary/testing/conformance';
import type { DeadLetterRecord } from '@tributary/testing/conformance';
import { AMQP_URL } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';

/** Headers the transport or RabbitMQ set: not the user's. */
const BROKER_HEADERS = new Set([
  'x-causation-id',
  'x-attempt',
  'x-timestamp-ms',
  'x-error-name',
  'x-error-message',
  'x-attempts',
  'x-dead-letter-reason',
  'x-original-queue',
  'x-dead-lettered-at',
  'x-key',
  'x-version',
  'x-death',
  'x-delivery-count',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
]);

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);

const record = (message: GetMessage): DeadLetterRecord => {
  const raw: Record<string, unknown> = message.properties.headers ?? {};
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (!BROKER_HEADERS.has(key)) headers[key] = text(value) ?? '';
  return {
    type: text(message.properties.type),
    reason: text(raw['x-dead-letter-reason']) ?? '',
    errorName: text(raw['x-error-name']),
    errorMessage: text(raw['x-error-message']),
    attempts: Number(raw['x-attempts']),
    headers,
    body: message.content,
  };
};

// never while another file stops the broker; `broker.admin` is a plain amqplib connection
const broker = useSharedBroker();
/** Every options object a case used, per queue, to delete what it declared. */
const declared = new Map<string, AmqpStrategyOptions[]>();

const options = (queue: string, extra: object, host = AMQP_URL): AmqpStrategyOptions => {
  const o: AmqpStrategyOptions = { host, queue, ...extra };
  declared.set(queue, [...(declared.get(queue) ?? []), o]);
  return o;
};

describeTransportConformance('AMQP', {
  transport: Transport.AMQP,
  serviceOptions: (queue, extra) => ({ ...options(queue, extra) }),
  injectRaw: (queue, bytes) => broker.admin.sendRaw(queue, bytes),
  // read without taking: the messages are got unacknowledged, and closing the channel puts them back
  readDeadLetters: queue =>
    broker.admin
      .channel(async ch => {
        const letters: DeadLetterRecord[] = [];
        for (let message = await ch.get(`${queue}.dead-letter`); message; message = await ch.get(`${queue}.dead-letter`)) letters.push(record(message));
        return letters;
      })
      .catch(() => []),
  fault: async () => {
    const url = new URL(AMQP_URL);
    const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5672) });
    url.port = String(proxy.port);
    return { options: { host: url.toString() }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
  },
  cleanup: async queues => {
    for (const queue of queues) {
      await broker.admin.deleteTopology(...(declared.get(queue) ?? [{ host: AMQP_URL, queue }]));
      declared.delete(queue);
    }
  },
  timeoutMs: 30_000,
});
