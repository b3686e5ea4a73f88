import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { TransportMessage } from '@tributary/messaging/transport';

/** Message attributes of the wire format (see docs/transports/sqs.md, "Wire format"). */
export const ATTRIBUTE = {
  /** JSON: id, correlationId, replyTo, causationId, timestamp, key, version, published, encoding. */
  meta: 'tributary-meta',
  /** JSON: the user headers (`metadata.headers`). */
  headers: 'tributary-headers',
  /** The event type, alone: SNS filter policies match on it. */
  type: 'tributary-type',
  errorName: 'x-error-name',
  errorMessage: 'x-error-message',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  originalQueue: 'x-original-queue',
} as const;

export type Attributes = Record<string, MessageAttributeValue>;

interface Meta {
  id?: string;
  correlationId?: string;
  replyTo?: string;
  causationId?: string;
  timestamp?: number;
  key?: string;
  version?: number;
  /** Came through `publish` (checked against `subscribe` by the consumer). */
  published?: boolean;
  /** The body is base64 (bytes SQS cannot carry as text). */
  encoding?: 'base64';
}

export const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

const toBuffer = (data: unknown): Buffer =>
  Buffer.isBuffer(data) ? data : data instanceof Uint8Array ? Buffer.from(data) : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');

// characters SQS accepts in a body: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The body as SQS text: UTF-8 as it is, or base64 when the bytes are not text SQS accepts. */
const encodeBody = (bytes: Buffer): { body: string; base64: boolean } => {
  const body = bytes.toString('utf8');
  if (!FORBIDDEN.test(body) && Buffer.byteLength(body, 'utf8') === bytes.length && Buffer.from(body, 'utf8').equals(bytes)) return { body, base64: false };
  return { body: bytes.toString('base64'), base64: true };
};

/** The SQS body and attributes of a transport message. */
export const toWire = (message: TransportMessage, published = false): { body: string; attributes: Attributes } => {
  const { body, base64 } = encodeBody(toBuffer(message.data));
  const meta: Meta = {};
  if (message.messageId !== undefined) meta.id = message.messageId;
  if (message.correlationId !== undefined) meta.correlationId = message.correlationId;
  if (message.replyTo !== undefined) meta.replyTo = message.replyTo;
  if (message.causationId !== undefined) meta.causationId = message.causationId;
  if (message.timestamp !== undefined) meta.timestamp = message.timestamp;
  if (message.key !== undefined) meta.key = message.key;
  if (message.version !== undefined && message.version !== 1) meta.version = message.version;
  if (published) meta.published = true;
  if (base64) meta.encoding = 'base64';
  const attributes: Attributes = {};
  if (Object.keys(meta).length > 0) attributes[ATTRIBUTE.meta] = text(JSON.stringify(meta));
  if (message.headers && Object.keys(message.headers).length > 0) attributes[ATTRIBUTE.headers] = text(JSON.stringify(message.headers));
  if (message.type) attributes[ATTRIBUTE.type] = text(message.type);
  return { body, attributes };
};

const parse = (value: MessageAttributeValue | undefined): Record<string, unknown> | undefined => {
  if (!value?.StringValue) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.StringValue);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Whether a received message came through `publish`. */
export const isPublished = (message: Message): boolean => parse(message.MessageAttributes?.[ATTRIBUTE.meta])?.published === true;

/** The body bytes of a received message. */
export const bodyOf = (message: Message): Buffer => {
  const body = message.Body ?? '';
  return parse(message.MessageAttributes?.[ATTRIBUTE.meta])?.encoding === 'base64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
};

/** The user headers of a received message. */
export const headersOf = (message: Message): Record<string, string> | undefined => {
  const raw = parse(message.MessageAttributes?.[ATTRIBUTE.headers]);
  if (!raw) return undefined;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') headers[key] = value;
  return headers;
};

/** The transport message of a received SQS message; `attempt` is SQS's ApproximateReceiveCount. */
export const fromWire = (message: Message): TransportMessage => {
  const meta = parse(message.MessageAttributes?.[ATTRIBUTE.meta]) ?? {};
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  const out: TransportMessage = { data: bodyOf(message), raw: message, attempt: Number.isInteger(count) && count > 0 ? count : 1 };
  const id = str(meta.id);
  if (id !== undefined) out.messageId = id;
  const correlationId = str(meta.correlationId);
  if (correlationId !== undefined) out.correlationId = correlationId;
  const replyTo = str(meta.replyTo);
  if (replyTo !== undefined) out.replyTo = replyTo;
  const causationId = str(meta.causationId);
  if (causationId !== undefined) out.causationId = causationId;
  const timestamp = num(meta.timestamp) ?? (message.Attributes?.SentTimestamp ? Number(message.Attributes.SentTimestamp) : undefined);
  if (timestamp !== undefined && Number.isFinite(timestamp)) out.timestamp = timestamp;
  const key = str(meta.key);
  if (key !== undefined) out.key = key;
  const version = num(meta.version);
  if (version !== undefined) out.version = version;
  const type = message.MessageAttributes?.[ATTRIBUTE.type]?.StringValue;
  if (type) out.type = type;
  const headers = headersOf(message);
  if (headers) out.headers = headers;
  return out;
};
