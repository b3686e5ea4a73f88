import { message as rheaMessage } from 'rhea';
import type { DeadLetterInfo, TransportMessage } from '@tributary/messaging/transport';

/** Application properties Tributary sets; never handed to effects as user headers. */
export const PROPERTY = {
  causationId: 'x-causation-id',
  attempt: 'x-attempt',
  key: 'x-key',
  version: 'x-version',
  errorName: 'x-error-name',
  errorMessage: 'x-error-message',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  originalAddress: 'x-original-address',
  deadLetteredAt: 'x-dead-lettered-at',
} as const;

const INTERNAL = new Set<string>(Object.values(PROPERTY));

/** An AMQP 1.0 message as rhea sends and receives it (its sections and properties, flattened). */
export type AmqpMessage = Record<string, unknown> & { application_properties?: Record<string, unknown>; message_annotations?: Record<string, unknown> };

/** Artemis routes a message of the anonymous relay by this annotation: 0 a queue (anycast), 1 a topic (multicast). */
export const ROUTING_ANNOTATION = 'x-opt-jms-dest';
/** Artemis delivers a message this many ms after it arrived (scheduled delivery). */
export const DELAY_ANNOTATION = 'x-opt-delivery-delay';

const toBuffer = (data: unknown): Buffer =>
  Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');

/** The bytes of a received body: a data section, or what a foreign producer put in an amqp-value. */
export const bodyBytes = (body: unknown): Buffer => {
  if (body && typeof body === 'object' && (body as { typecode?: number }).typecode === 0x75) return toBuffer((body as { content: unknown }).content);
  if (body === undefined || body === null) return Buffer.alloc(0);
  return toBuffer(body);
};

/**
 * The AMQP 1.0 message of a transport message (docs/transports/amqp10.md, "Wire format"):
 * the body as one data section; id, correlation, reply address, type (`subject`) and time
 * (`creation_time`) in the properties; headers, key, version, causation and attempt in the
 * application properties.
 */
export const toAmqpMessage = (message: TransportMessage, extra: Record<string, string | number> = {}): AmqpMessage => {
  const properties: Record<string, string | number> = { ...message.headers };
  if (message.causationId !== undefined) properties[PROPERTY.causationId] = message.causationId;
  if (message.attempt !== undefined && message.attempt > 1) properties[PROPERTY.attempt] = message.attempt;
  if (message.key !== undefined) properties[PROPERTY.key] = message.key;
  if (message.version !== undefined && message.version !== 1) properties[PROPERTY.version] = message.version;
  Object.assign(properties, extra);
  const amqp: AmqpMessage = {
    body: rheaMessage.data_section(toBuffer(message.data)),
    content_type: 'application/json',
    durable: true,
  };
  // none: no empty map on the wire
  for (const _ in properties) {
    amqp.application_properties = properties;
    break;
  }
  if (message.messageId !== undefined) amqp.message_id = message.messageId;
  if (message.correlationId !== undefined) amqp.correlation_id = message.correlationId;
  if (message.replyTo !== undefined) amqp.reply_to = message.replyTo;
  if (message.type !== undefined) amqp.subject = message.type;
  if (message.timestamp !== undefined) amqp.creation_time = new Date(message.timestamp);
  return amqp;
};

const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
};

const num = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' || typeof value === 'bigint' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The transport message of a received AMQP 1.0 message. `attempt` counts deliveries: the
 * `x-attempt` property of a retried copy (1 without) plus the broker's `delivery_count`
 * (failed deliveries of this copy: `modified` with `delivery_failed`).
 */
export const fromAmqpMessage = (amqp: AmqpMessage, raw: object): TransportMessage => {
  const props: Record<string, unknown> = amqp.application_properties ?? {};
  const headers: Record<string, string> = {};
  let userHeaders = 0;
  for (const [name, value] of Object.entries(props)) {
    if (INTERNAL.has(name)) continue;
    const value_ = text(value);
    if (value_ !== undefined) {
      headers[name] = value_;
      userHeaders++;
    }
  }
  const message: TransportMessage = { data: bodyBytes(amqp.body), raw, attempt: (num(props[PROPERTY.attempt]) ?? 1) + (num(amqp.delivery_count) ?? 0) };
  const id = text(amqp.message_id);
  if (id !== undefined) message.messageId = id;
  const correlationId = text(amqp.correlation_id);
  if (correlationId !== undefined) message.correlationId = correlationId;
  if (typeof amqp.reply_to === 'string') message.replyTo = amqp.reply_to;
  if (typeof amqp.subject === 'string') message.type = amqp.subject;
  const time = amqp.creation_time instanceof Date ? amqp.creation_time.getTime() : num(amqp.creation_time);
  if (time !== undefined) message.timestamp = time;
  const causationId = text(props[PROPERTY.causationId]);
  if (causationId !== undefined) message.causationId = causationId;
  const key = text(props[PROPERTY.key]);
  if (key !== undefined) message.key = key;
  const version = num(props[PROPERTY.version]);
  if (version !== undefined) message.version = version;
  if (userHeaders > 0) message.headers = headers;
  return message;
};

/** The application properties a dead letter gets beside the original ones. */
export const deadLetterProperties = (info: DeadLetterInfo, channel: string): Record<string, string | number> => ({
  [PROPERTY.reason]: info.reason,
  [PROPERTY.attempts]: info.attempts,
  [PROPERTY.originalAddress]: channel,
  [PROPERTY.deadLetteredAt]: Date.now(),
  ...(info.error ? { [PROPERTY.errorName]: info.error.name, [PROPERTY.errorMessage]: info.error.message } : {}),
});
