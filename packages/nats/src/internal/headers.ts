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
  // a fresh set, each key once: `append` (`set` first looks the key up to delete it)
  if (message.headers) for (const [key, value] of Object.entries(message.headers)) if (!isInternal(key)) h.append(key, oneLine(String(value), 4096));
  if (message.messageId !== undefined) h.append(HEADER.messageId, message.messageId);
  if (message.correlationId !== undefined) h.append(HEADER.correlationId, message.correlationId);
  if (message.replyTo !== undefined) h.append(HEADER.replyTo, message.replyTo);
  if (message.type !== undefined) h.append(HEADER.type, message.type);
  if (message.timestamp !== undefined) h.append(HEADER.timestampMs, String(message.timestamp));
  if (message.causationId !== undefined) h.append(HEADER.causationId, message.causationId);
  if (message.key !== undefined) h.append(HEADER.key, message.key);
  if (message.version !== undefined) h.append(HEADER.version, String(message.version));
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

/**
 * The transport message of a received NATS message (JetStream or core). One pass over the
 * headers: `MsgHdrs.has` and `get` copy and scan the key list on every call.
 */
export const fromNatsMessage = (data: Uint8Array, h: MsgHdrs | undefined, raw: object, attempt: number): TransportMessage => {
  const message: TransportMessage = { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), raw, attempt };
  if (!h) return message;
  let user: Record<string, string> | undefined;
  let original = false;
  for (const [key, values] of h) {
    const value = values[0];
    if (value === undefined) continue;
    switch (key) {
      case HEADER.messageId:
        // a redriven copy carries its original id apart (its Nats-Msg-Id is the redrive's own)
        if (!original) message.messageId = value;
        break;
      case HEADER.originalId:
        message.messageId = value;
        original = true;
        break;
      case HEADER.correlationId:
        message.correlationId = value;
        break;
      case HEADER.replyTo:
        message.replyTo = value;
        break;
      case HEADER.type:
        message.type = value;
        break;
      case HEADER.timestampMs: {
        const timestamp = number(value);
        if (timestamp !== undefined) message.timestamp = timestamp;
        break;
      }
      case HEADER.causationId:
        message.causationId = value;
        break;
      case HEADER.key:
        message.key = value;
        break;
      case HEADER.version: {
        const version = number(value);
        if (version !== undefined) message.version = version;
        break;
      }
      default:
        if (!isInternal(key)) (user ??= {})[key] = value;
    }
  }
  if (user) message.headers = user;
  return message;
};
