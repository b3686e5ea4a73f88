import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Transport } from '@tributary/messaging';
import type { RedisMode } from '@tributary/redis';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { DeadLetterRecord, TransportConformanceSetup } from '@tributary/testing/conformance';
import { REDIS_URL } from './helpers';

/** The envelope `{ type, payload, metadata }` kept in `data`, if it is one. */
const envelopeOf = (data: Buffer | undefined): { type?: string; metadata?: { headers?: Record<string, string> } } => {
  try {
    const envelope = JSON.parse(data?.toString('utf8') ?? '');
    return envelope && typeof envelope === 'object' ? envelope : {};
  } catch {
    return {};
  }
};

/**
 * Reads a dead-letter stream entry (see src/internal/deadLetterFields.ts for its fields). The
 * type and the original headers are the `type` and `headers` fields, or, when the delivery
 * carried them only inside the body (pub/sub messages have no `type` field, stream entries
 * no `headers` field), those of the envelope kept in `data`.
 */
const record = (flat: Buffer[]): DeadLetterRecord => {
  const fields = new Map<string, Buffer>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i].toString('utf8'), flat[i + 1]);
  const text = (name: string) => fields.get(name)?.toString('utf8');
  const headers = text('headers');
  const envelope = envelopeOf(fields.get('data'));
  return {
    type: text('type') ?? (typeof envelope.type === 'string' ? envelope.type : undefined),
    reason: text('reason') ?? '',
    errorName: text('errorName'),
    errorMessage: text('errorMessage'),
    attempts: Number(text('attempts')),
    headers: headers === undefined ? (envelope.metadata?.headers ?? {}) : JSON.parse(headers),
    body: fields.get('data'),
  };
};

/**
 * The conformance setup of the Redis transport in one mode: every key under a prefix of its
 * own (deleted afterwards), a plain ioredis client as the foreign producer and to read the
 * `<channel>:dead-letter` stream, and a TCP proxy to cut.
 */
export const redisConformanceSetup = (mode: RedisMode): { setup: TransportConformanceSetup; close: () => Promise<void> } => {
  const keyPrefix = `conf:${randomUUID().slice(0, 8)}:`;
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const deleteKeys = async (match: string): Promise<void> => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', match, 'COUNT', 500);
      if (keys.length) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  };
  const setup: TransportConformanceSetup = {
    transport: Transport.REDIS,
    serviceOptions: (channel, extra) => ({
      host: REDIS_URL,
      channel,
      mode,
      keyPrefix,
      blockTime: 200,
      // streams: the entries of a consumer that stopped (a drain that gave up) are claimed by
      // another after claimIdleTime; 2 s instead of 30 s, so that a case sees it happen
      ...(mode === 'streams' ? { claimIdleTime: 2_000 } : {}),
      ...extra,
    }),
    injectRaw: async (channel, bytes) => {
      if (mode === 'streams') await admin.xadd(keyPrefix + channel, '*', 'data', bytes);
      else await admin.publish(keyPrefix + channel, bytes);
    },
    readDeadLetters: async channel => {
      const entries = await admin.xrangeBuffer(`${keyPrefix}${channel}:dead-letter`, '-', '+');
      return entries.map(([, flat]) => record(flat));
    },
    fault: async () => {
      const url = new URL(REDIS_URL);
      const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
      url.port = String(proxy.port);
      return { options: { host: url.toString() }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
    },
    cleanup: async channels => {
      for (const channel of channels) await deleteKeys(`${keyPrefix}${channel}*`);
    },
    timeoutMs: 30_000,
  };
  return {
    setup,
    // publish topics and indexes are named after types, not channels: everything under the prefix goes
    close: async () => {
      await deleteKeys(`${keyPrefix}*`);
      await admin.quit();
    },
  };
};
