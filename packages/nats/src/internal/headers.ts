import { headers as natsHeaders } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { DeadLetterInfo, TransportMessage } from '@tributary/messaging/transport';
import type { NatsDelivery } from './InFlight';

/** Headers Tributary or NATS set; never handed to effects as user headers. */
export const HEADER = {
  messageId: 'Nats-Msg-Id',
  correlationId: 'x-correlation-id',
  replyTo: 'x-reply-to',
  type: 'x-type',
  timestampMs: 'x-timestamp-ms',
  causationId: 'x-causation-id',
  key: 'x-key',
  version: 'x-version',
  errorName: 'x-error-name',
  errorMessage: 'x-error-message',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  originalSubject: 'x-original-subject',
  /** The message id, set by a redrive (its `Nats-Msg-Id` is a redrive's own, for the server's duplicate window). */
  originalId: 'x-message-id',
} as const;

const INTERNAL = new Set<string>(Object.values(HEADER));
const isInternal = (key: string): boolean => INTERNAL.has(key) || key.startsWith('Nats-');

/** A header value NATS accepts: one line, bounded. */
const oneLine = (value: string, max = 1024): string => {
  const line = value.replace(/[\r\n]+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The NATS headers of a message (see docs/transports/nats.md, "Wire format"). */
export const toHeaders = (message: TransportMessage, extra?: Record<string, string>): MsgHdrs => {
  const h = natsHeaders();
  if (message.headers) for (const [key, value] of Object.entries(message.headers)) if (!isInternal(key)) h.set(key, oneLine(String(value), 4096));
  if (message.messageId !== undefined) h.set(HEADER.messageId, message.messageId);
  if (message.correlationId !== undefined) h.set(HEADER.correlationId, message.correlationId);
  if (message.replyTo !== undefined) h.set(HEADER.replyTo, message.replyTo);
  if (message.type !== undefined) h.set(HEADER.type, message.type);
  if (message.timestamp !== undefined) h.set(HEADER.timestampMs, String(message.timestamp));
  if (message.causationId !== undefined) h.set(HEADER.causationId, message.causationId);
  if (message.key !== undefined) h.set(HEADER.key, message.key);
  if (message.version !== undefined) h.set(HEADER.version, String(message.version));
  if (extra) for (const [key, value] of Object.entries(extra)) h.set(key, oneLine(value));
  return h;
};

/**
 * The headers of a dead letter: the message's own (user headers and metadata), its id (so the
 * server keeps one copy when it is dead-lettered twice), and the error.
 */
export const deadLetterCopy = (delivery: NatsDelivery, message: TransportMessage, info: DeadLetterInfo): MsgHdrs => {
  const h = natsHeaders();
  const original = delivery.msg.headers;
  if (original) for (const key of original.keys()) for (const value of original.values(key)) h.append(key, value);
  if (!h.has(HEADER.messageId)) {
    const id = delivery.kind === 'js' ? `${delivery.msg.info.stream}:${delivery.msg.seq}` : message.messageId;
    if (id) h.set(HEADER.messageId, id);
  }
  h.set(HEADER.reason, info.reason);
  h.set(HEADER.attempts, String(info.attempts));
  h.set(HEADER.originalSubject, delivery.msg.subject);
  if (info.error?.name !== undefined) h.set(HEADER.errorName, oneLine(String(info.error.name)));
  if (info.error?.message !== undefined) h.set(HEADER.errorMessage, oneLine(String(info.error.message)));
  return h;
};

const number = (value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/** The user headers of a NATS message (internal ones left out). */
export const userHeaders = (h: MsgHdrs | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const key of h.keys()) if (!isInternal(key)) out[key] = h.get(key);
  return out;
};

/** The transport message of a received NATS message (JetStream or core). */
export const fromNatsMessage = (data: Uint8Array, h: MsgHdrs | undefined, raw: object, attempt: number): TransportMessage => {
  const message: TransportMessage = { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), raw, attempt };
  if (!h) return message;
  const get = (key: string): string | undefined => (h.has(key) ? h.get(key) : undefined);
  const messageId = get(HEADER.originalId) ?? get(HEADER.messageId);
  if (messageId !== undefined) message.messageId = messageId;
  const correlationId = get(HEADER.correlationId);
  if (correlationId !== undefined) message.correlationId = correlationId;
  const replyTo = get(HEADER.replyTo);
  if (replyTo !== undefined) message.replyTo = replyTo;
  const type = get(HEADER.type);
  if (type !== undefined) message.type = type;
  const timestamp = number(get(HEADER.timestampMs));
  if (timestamp !== undefined) message.timestamp = timestamp;
  const causationId = get(HEADER.causationId);
  if (causationId !== undefined) message.causationId = causationId;
  const key = get(HEADER.key);
  if (key !== undefined) message.key = key;
  const version = number(get(HEADER.version));
  if (version !== undefined) message.version = version;
  const user = userHeaders(h);
  if (Object.keys(user).length > 0) message.headers = user;
  return message;
};
