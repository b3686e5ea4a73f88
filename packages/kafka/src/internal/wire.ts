import type { TransportMessage } from '@tributary/messaging/transport';

/** Kafka headers Tributary sets; never handed to effects as user headers. */
export const HEADER = {
  id: 'tributary.id',
  correlationId: 'tributary.correlation-id',
  replyTo: 'tributary.reply-to',
  causationId: 'tributary.causation-id',
  timestamp: 'tributary.timestamp',
  type: 'tributary.type',
  version: 'tributary.version',
  attempt: 'tributary.attempt',
  /** Set by `replay`: where the message was copied from, `<topic>/<partition>/<offset>`. */
  replayedFrom: 'tributary.replayed-from',
} as const;

/** Dead-letter headers (the AMQP names plus where the message came from). */
export const DEAD_LETTER_HEADER = {
  errorName: 'x-error-name',
  errorMessage: 'x-error-message',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
} as const;

const RESERVED = new Set<string>(Object.values(DEAD_LETTER_HEADER));
const isReserved = (name: string): boolean => name.startsWith('tributary.') || RESERVED.has(name);

/** The body as bytes. */
export const toBytes = (data: unknown): Buffer =>
  Buffer.isBuffer(data)
    ? data
    : data instanceof Uint8Array
      ? Buffer.from(data)
      : typeof data === 'string'
        ? Buffer.from(data, 'utf8')
        : Buffer.from(JSON.stringify(data), 'utf8');

/** The Kafka headers of a message: Tributary's metadata under `tributary.*`, user headers as they are. */
export const toHeaders = (message: TransportMessage, extra?: Record<string, string>): Record<string, string> => {
  const headers: Record<string, string> = {};
  if (message.headers) for (const [name, value] of Object.entries(message.headers)) if (!isReserved(name) && value != null) headers[name] = String(value);
  const set = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') headers[name] = String(value);
  };
  set(HEADER.id, message.messageId);
  // a correlation id equal to the id (every event a client starts) is not written twice: the reader takes the id
  if (message.correlationId !== message.messageId) set(HEADER.correlationId, message.correlationId);
  set(HEADER.replyTo, message.replyTo);
  set(HEADER.causationId, message.causationId);
  set(HEADER.timestamp, message.timestamp);
  set(HEADER.type, message.type);
  set(HEADER.version, message.version);
  if (message.attempt !== undefined && message.attempt > 1) set(HEADER.attempt, message.attempt);
  if (extra) Object.assign(headers, extra);
  return headers;
};

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);

const num = (value: string | undefined): number | undefined => {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/** Reads Kafka headers (as the client delivers them) into a string map. */
export const readHeaders = (entries: Iterable<[unknown, unknown]> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (!entries) return out;
  if (Array.isArray(entries)) {
    // the client's `headerEntries` (strings already, with the string deserializers): no iterator, no conversions
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i] as [unknown, unknown];
      const name = typeof k === 'string' ? k : text(k);
      const value = typeof v === 'string' ? v : text(v);
      if (name !== undefined && value !== undefined) out[name] = value;
    }
    return out;
  }
  for (const [k, v] of entries) {
    const name = text(k);
    const value = text(v);
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
};

/** The transport message of a Kafka record (headers already read into strings). */
export const fromRecord = (value: Buffer | undefined, key: string | undefined, headers: Record<string, string>, raw: object): TransportMessage => {
  const user: Record<string, string> = {};
  let users = 0;
  for (const name in headers) {
    if (isReserved(name)) continue;
    user[name] = headers[name]!;
    users++;
  }
  const message: TransportMessage = { data: value ?? Buffer.alloc(0), raw, attempt: num(headers[HEADER.attempt]) ?? 1 };
  if (headers[HEADER.id] !== undefined) message.messageId = headers[HEADER.id];
  if (headers[HEADER.correlationId] !== undefined) message.correlationId = headers[HEADER.correlationId];
  else if (message.messageId !== undefined) message.correlationId = message.messageId;
  if (headers[HEADER.replyTo] !== undefined) message.replyTo = headers[HEADER.replyTo];
  if (headers[HEADER.causationId] !== undefined) message.causationId = headers[HEADER.causationId];
  if (headers[HEADER.type] !== undefined) message.type = headers[HEADER.type];
  const timestamp = num(headers[HEADER.timestamp]);
  if (timestamp !== undefined) message.timestamp = timestamp;
  const version = num(headers[HEADER.version]);
  if (version !== undefined) message.version = version;
  if (key !== undefined && key !== '') message.key = key;
  if (users > 0) message.headers = user;
  return message;
};
