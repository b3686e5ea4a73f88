import type * as amqp from 'amqplib';
import type { TransportMessage } from '@tributary/messaging/transport';

/** Headers Tributary or RabbitMQ set; never handed to effects as user headers. */
export const HEADER = {
  causationId: 'x-causation-id',
  attempt: 'x-attempt',
  timestampMs: 'x-timestamp-ms',
  errorName: 'x-error-name',
  errorMessage: 'x-error-message',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  originalQueue: 'x-original-queue',
  deadLetteredAt: 'x-dead-lettered-at',
  key: 'x-key',
  version: 'x-version',
} as const;

const INTERNAL_HEADERS = new Set<string>([
  ...Object.values(HEADER),
  'x-death',
  'x-delivery-count',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
]);

const toBuffer = (data: unknown): Buffer =>
  Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');

/** The body and AMQP properties of a message (see docs/transports/amqp.md, "Wire format"). */
export const toPublishArgs = (
  message: TransportMessage,
  persistent: boolean,
  extraHeaders: Record<string, unknown> = {},
): { content: Buffer; options: amqp.Options.Publish } => {
  const headers: Record<string, unknown> = { ...message.headers };
  if (message.causationId !== undefined) headers[HEADER.causationId] = message.causationId;
  if (message.attempt !== undefined && message.attempt > 1) headers[HEADER.attempt] = message.attempt;
  if (message.timestamp !== undefined) headers[HEADER.timestampMs] = message.timestamp;
  if (message.key !== undefined) headers[HEADER.key] = message.key;
  // version 1 is the default: left out, so Marble.js peers see the same headers as before
  if (message.version !== undefined && message.version !== 1) headers[HEADER.version] = message.version;
  Object.assign(headers, extraHeaders);
  const options: amqp.Options.Publish = { contentType: 'application/json', persistent, headers };
  if (message.messageId !== undefined) options.messageId = message.messageId;
  if (message.correlationId !== undefined) options.correlationId = message.correlationId;
  if (message.replyTo !== undefined) options.replyTo = message.replyTo;
  if (message.type !== undefined) options.type = message.type;
  // AMQP timestamps are POSIX seconds; the millisecond value travels in x-timestamp-ms
  if (message.timestamp !== undefined) options.timestamp = Math.floor(message.timestamp / 1000);
  return { content: toBuffer(message.data), options };
};

const headerString = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
};

const headerNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' || typeof value === 'bigint' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The transport message of a delivery. `attempt` counts deliveries: the `x-attempt` header of
 * a retried copy (1 without), plus the broker's redeliveries (`x-delivery-count` on quorum
 * queues, the `redelivered` flag on classic ones).
 */
export const fromDelivery = (msg: amqp.Message): TransportMessage => {
  const { properties, fields } = msg;
  const raw: Record<string, unknown> = properties.headers ?? {};
  const headers: Record<string, string> = {};
  let userHeaders = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (INTERNAL_HEADERS.has(key)) continue;
    const text = headerString(value);
    if (text !== undefined) {
      headers[key] = text;
      userHeaders++;
    }
  }
  const deliveryCount = headerNumber(raw['x-delivery-count']);
  const redeliveries = deliveryCount ?? ((fields as amqp.ConsumeMessageFields).redelivered ? 1 : 0);
  const message: TransportMessage = { data: msg.content, raw: msg, attempt: (headerNumber(raw[HEADER.attempt]) ?? 1) + redeliveries };
  if (properties.messageId != null) message.messageId = String(properties.messageId);
  if (properties.correlationId != null) message.correlationId = String(properties.correlationId);
  if (properties.replyTo != null) message.replyTo = String(properties.replyTo);
  if (properties.type != null) message.type = String(properties.type);
  const timestamp = headerNumber(raw[HEADER.timestampMs]) ?? (properties.timestamp != null ? Number(properties.timestamp) * 1000 : undefined);
  if (timestamp !== undefined) message.timestamp = timestamp;
  const causationId = headerString(raw[HEADER.causationId]);
  if (causationId !== undefined) message.causationId = causationId;
  const key = headerString(raw[HEADER.key]);
  if (key !== undefined) message.key = key;
  const version = headerNumber(raw[HEADER.version]);
  if (version !== undefined) message.version = version;
  if (userHeaders > 0) message.headers = headers;
  return message;
};
