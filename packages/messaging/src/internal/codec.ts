import type { Event, EventMetadata } from '@tributary/core';
import type { TransportMessage, TransportMessageTransformer, TransportWire } from '../transport/transport.interface';

const RESERVED: ReadonlySet<string> = new Set(['raw']);

/**
 * The part of metadata that crosses the wire: a fresh object, copied key by key (not by
 * spread: V8 builds spread copies that get new keys on its slow path), without undefined
 * values, symbol keys and the `skip` keys (`raw` by default).
 */
export const wireMetadata = (metadata: EventMetadata | undefined, skip: ReadonlySet<string> = RESERVED): EventMetadata | undefined => {
  if (!metadata) return undefined;
  const out: EventMetadata = {};
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    // an own "__proto__" key (JSON.parse makes one) would replace the copy's prototype
    if (value !== undefined && !skip.has(key) && key !== '__proto__') out[key] = value;
  }
  return out;
};

/** Frames an event (whose metadata is already complete) for a transport. */
export const toTransportMessage = (
  event: Event,
  wire: TransportWire,
  transformer: TransportMessageTransformer,
  /** The metadata is already a fresh wire-only object (made by outgoingEvent / output): no copy. */
  fresh = false,
): TransportMessage => {
  const metadata = event.metadata ?? {};
  const carried = fresh ? metadata : wireMetadata(metadata);
  // literals, not `{ ...body, metadata }`: V8 makes objects built by spread plus new keys slowly
  const data =
    wire === 'body'
      ? transformer.encode({ type: event.type, payload: event.payload, error: event.error })
      : wire === 'envelope'
        ? transformer.encode({ type: event.type, payload: event.payload, error: event.error, metadata: carried })
        : { type: event.type, payload: event.payload, error: event.error, metadata: carried };
  return {
    data,
    messageId: metadata.id,
    correlationId: metadata.correlationId,
    replyTo: metadata.replyTo,
    type: event.type,
    timestamp: metadata.timestamp,
    causationId: metadata.causationId,
    headers: metadata.headers,
    attempt: metadata.attempt,
    key: metadata.key,
    version: metadata.version,
  };
};

const isPlainRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A delivery count read from a body: a whole number from 1 (anything else counts as a first attempt). */
const isAttempt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** The string entries of headers carried in a body (`metadata.headers` is typed as strings: anything else is dropped). */
const stringHeaders = (value: unknown): Record<string, string> | undefined => {
  if (!isPlainRecord(value)) return undefined;
  const headers: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    if (typeof value[key] === 'string' && key !== '__proto__') headers[key] = value[key] as string;
  }
  return headers;
};

/** Why a message could not be decoded. */
export class DecodeFailure extends Error {}

/** Reads an event back from a transport message; throws `DecodeFailure` when it is none. */
export const fromTransportMessage = (message: TransportMessage, wire: TransportWire, transformer: TransportMessageTransformer): Event => {
  let decoded: any;
  if (wire === 'object') decoded = message.data;
  else {
    if (!Buffer.isBuffer(message.data) && !(message.data instanceof Uint8Array)) throw new DecodeFailure('body is not bytes');
    try {
      decoded = transformer.decode(Buffer.isBuffer(message.data) ? message.data : Buffer.from(message.data as Uint8Array));
    } catch (error) {
      throw new DecodeFailure(`cannot decode body: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  if (!decoded || typeof decoded !== 'object' || typeof decoded.type !== 'string' || decoded.type === '') {
    throw new DecodeFailure('no "type" string in the body');
  }
  const carried: EventMetadata | undefined = isPlainRecord(decoded.metadata) ? decoded.metadata : undefined;
  const metadata: EventMetadata = wireMetadata(carried) ?? {};
  if (metadata.headers !== undefined) {
    const headers = stringHeaders(metadata.headers);
    if (headers) metadata.headers = headers;
    else delete metadata.headers;
  }
  if (message.messageId !== undefined) metadata.id = message.messageId;
  if (message.correlationId !== undefined) metadata.correlationId = message.correlationId;
  if (message.replyTo !== undefined) metadata.replyTo = message.replyTo;
  if (message.causationId !== undefined) metadata.causationId = message.causationId;
  if (message.timestamp !== undefined) metadata.timestamp = message.timestamp;
  if (message.headers !== undefined) metadata.headers = message.headers;
  if (message.key !== undefined) metadata.key = message.key;
  if (message.version !== undefined) metadata.version = message.version;
  metadata.attempt = message.attempt ?? (isAttempt(carried?.attempt) ? carried.attempt : 1);
  metadata.raw = message.raw;
  const event: Event = { type: decoded.type, metadata };
  if (decoded.payload !== undefined) event.payload = decoded.payload;
  if (decoded.error !== undefined && decoded.error !== null) event.error = decoded.error;
  return event;
};
