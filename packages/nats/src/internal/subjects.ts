import { createHash } from 'node:crypto';

/** A valid stream / consumer name from any string: no `.`, `*`, `>`, spaces or path separators. */
export const streamName = (name: string): string => name.replace(/[.*>\s/\\]/g, '_');

/** The subject of a `subscribe` pattern: `*` stays one token, `#` becomes `>` (one or more tokens). */
export const patternSubject = (prefix: string, pattern: string): string =>
  `${prefix}.${pattern
    .split('.')
    .map(word => (word === '#' ? '>' : word))
    .join('.')}`;

/** The durable consumer reading one `subscribe` pattern for a service. */
export const subscriptionConsumer = (durable: string, pattern: string): string =>
  `${durable}_sub_${createHash('sha1').update(pattern).digest('hex').slice(0, 12)}`;

/** The core NATS subject of requests (`send`) to a channel. */
export const rpcSubject = (channel: string): string => `${channel}.rpc`;
