import { randomUUID } from 'node:crypto';
import { encodeError, Event, EventMetadata } from '@tributary/core';
import { InvalidEventError } from '../error/errors';
import type { EventTransformer } from '../transformer/EventTransformer';
import type { WebSocketData } from '../websocket.interface';

const PREVIEW = 60;

const preview = (data: WebSocketData): string => {
  const text = typeof data === 'string' ? data : `<${Buffer.isBuffer(data) ? data.length : 'binary'} bytes>`;
  return JSON.stringify(text.length > PREVIEW ? text.slice(0, PREVIEW) + '…' : text);
};

/**
 * A client message → an event, or an InvalidEventError. Only `type`, `payload` and a string
 * `metadata.correlationId` are taken from the client; the rest of the metadata is the
 * server's (a client cannot forge an id, a reply address or an error).
 */
export const decodeIncoming = (transformer: EventTransformer<any>, data: WebSocketData, clientId: string): Event => {
  let decoded: unknown;
  try {
    decoded = transformer.decode(data);
  } catch (error) {
    throw new InvalidEventError(`it could not be decoded (${(error as Error)?.message ?? String(error)})`, preview(data), error);
  }
  if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) {
    throw new InvalidEventError('it is not an object', preview(data));
  }
  const { type, payload, metadata } = decoded as { type?: unknown; payload?: unknown; metadata?: { correlationId?: unknown } };
  if (typeof type !== 'string' || type.length === 0) {
    throw new InvalidEventError('it has no "type" string', preview(data));
  }
  const correlationId = metadata && typeof metadata.correlationId === 'string' ? metadata.correlationId : undefined;
  return {
    type,
    payload,
    metadata: { id: randomUUID(), correlationId, replyTo: clientId, timestamp: Date.now() },
  };
};

/** Metadata that may reach a browser: never headers, reply addresses, raw messages or trackers. */
const PUBLIC_METADATA = ['id', 'correlationId', 'causationId', 'timestamp'] as const;

/** An outgoing event reduced to what goes on the wire: `{ type, payload, error, metadata }`. */
export const toWireEvent = (event: Event): Event => {
  const wire: Event = { type: event.type };
  if (event.payload !== undefined) wire.payload = event.payload;
  if (event.error !== undefined && event.error !== null && event.error !== false) {
    wire.error = event.error instanceof Error ? encodeError(event.error) : event.error;
  }
  const source = event.metadata;
  if (source) {
    let metadata: EventMetadata | undefined;
    for (const key of PUBLIC_METADATA) {
      if (source[key] !== undefined) (metadata ??= {})[key] = source[key] as never;
    }
    if (metadata) wire.metadata = metadata;
  }
  return wire;
};

/** A message encoded once, ready to be sent to one or many clients. */
export interface OutgoingFrame {
  readonly data: Buffer;
  /** A text frame (the transformer made a string) or a binary one. */
  readonly binary: boolean;
}

/** Encodes an event once: broadcasting to N clients serializes it once, not N times. */
export const encodeOutgoing = (transformer: EventTransformer<any>, event: Event): OutgoingFrame => {
  const encoded = transformer.encode(toWireEvent(event)) as WebSocketData;
  if (typeof encoded === 'string') return { data: Buffer.from(encoded, 'utf8'), binary: false };
  if (Array.isArray(encoded)) return { data: Buffer.concat(encoded), binary: true };
  return { data: Buffer.isBuffer(encoded) ? encoded : Buffer.from(encoded), binary: true };
};

export const isEvent = (value: unknown): value is Event =>
  !!value && typeof value === 'object' && typeof (value as Event).type === 'string';
