import type { TransportMessage } from '@tributary/messaging/transport';
import { toBytes } from '../envelope';

/**
 * The fields of a stream entry. `data` is the envelope; the others repeat the routing facts
 * so that a consumer needs no parsing to route, retry or dead-letter, and `attempt` counts
 * deliveries across retry copies.
 */
export interface EntryFields {
  data?: Buffer;
  type?: string;
  id?: string;
  correlationId?: string;
  replyTo?: string;
  attempt?: number;
  /** Every field as text, for foreign entries that have no `data`. */
  all: Record<string, string>;
}

/** Names of the routing fields, in the order they are written. */
export const ROUTING_FIELDS = ['type', 'id', 'correlationId', 'replyTo', 'attempt'] as const;

/** The fields to `XADD` for a message. */
export const toEntryFields = (message: TransportMessage, overrides: { replyTo?: string; correlationId?: string; attempt?: number } = {}): Array<string | Buffer> => {
  const fields: Array<string | Buffer> = ['data', toBytes(message.data)];
  const values: Record<(typeof ROUTING_FIELDS)[number], unknown> = {
    type: message.type,
    id: message.messageId,
    correlationId: overrides.correlationId ?? message.correlationId,
    replyTo: overrides.replyTo ?? message.replyTo,
    attempt: overrides.attempt ?? (message.attempt !== undefined && message.attempt > 1 ? message.attempt : undefined),
  };
  for (const name of ROUTING_FIELDS) {
    const value = values[name];
    if (value !== undefined && value !== null && value !== '') fields.push(name, String(value));
  }
  return fields;
};

/** Reads an entry's flat `[name, value, ...]` reply (as buffers). */
export const fromEntryFields = (flat: readonly Buffer[]): EntryFields => {
  const entry: EntryFields = { all: {} };
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i].toString('utf8');
    const value = flat[i + 1];
    if (name === 'data') entry.data = value;
    else {
      const text = value.toString('utf8');
      entry.all[name] = text;
      if (name === 'attempt') {
        const attempt = Number(text);
        if (Number.isInteger(attempt) && attempt > 0) entry.attempt = attempt;
      } else if (name === 'type' || name === 'id' || name === 'correlationId' || name === 'replyTo') entry[name] = text;
    }
  }
  return entry;
};

/** One entry of an `XREADGROUP` / `XAUTOCLAIM` reply; `fields` is null when the entry was trimmed away. */
export interface StreamEntry {
  stream: string;
  id: string;
  fields: EntryFields | null;
}

/** Parses `XREADGROUP`'s `[[stream, [[id, fields], ...]], ...]` (buffers). */
export const parseReadReply = (reply: unknown): StreamEntry[] => {
  if (!Array.isArray(reply)) return [];
  const entries: StreamEntry[] = [];
  for (const [stream, items] of reply as Array<[Buffer, Array<[Buffer, Buffer[] | null]>]>) {
    entries.push(...parseEntries(stream.toString('utf8'), items));
  }
  return entries;
};

/** Parses a list of `[id, fields]` of one stream. */
export const parseEntries = (stream: string, items: ReadonlyArray<[Buffer, Buffer[] | null]> | null | undefined): StreamEntry[] =>
  (items ?? []).map(([id, flat]) => ({ stream, id: id.toString('utf8'), fields: flat ? fromEntryFields(flat) : null }));
