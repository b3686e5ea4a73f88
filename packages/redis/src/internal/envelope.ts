import { CoreError } from '@tributary/core';

/**
 * A pub/sub message is the envelope alone (`{ type, payload, error, metadata }`), so a
 * request must carry its reply address inside it. The messaging layer encodes the envelope
 * before the transport picks the reply address; this writes it in.
 */
export const withReplyAddress = (data: unknown, replyTo: string, correlationId: string): Buffer => {
  const envelope = parse(data);
  if (!envelope) {
    throw new CoreError(
      '@tributary/redis: `send` in pubsub mode needs a JSON envelope { type, payload, error, metadata } to carry its reply address. ' +
        'Use the default msgTransformer (JSON), or mode: "streams", which carries the reply address beside the body.',
      { context: 'redis.send' },
    );
  }
  envelope.metadata = { ...(isObject(envelope.metadata) ? envelope.metadata : {}), replyTo, correlationId };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
};

/** The `replyTo` and `correlationId` a reply envelope carries (the reply address includes the call id). */
export const readReplyRouting = (data: Buffer): { replyTo?: string; correlationId?: string } => {
  const metadata = parse(data)?.metadata;
  if (!isObject(metadata)) return {};
  return {
    replyTo: typeof metadata.replyTo === 'string' ? metadata.replyTo : undefined,
    correlationId: typeof metadata.correlationId === 'string' ? metadata.correlationId : undefined,
  };
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const parse = (data: unknown): Record<string, unknown> | undefined => {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : typeof data === 'string' ? data : undefined;
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** The body as bytes (the messaging layer hands `Buffer`s for the `envelope` wire). */
export const toBytes = (data: unknown): Buffer =>
  Buffer.isBuffer(data)
    ? data
    : data instanceof Uint8Array
      ? Buffer.from(data)
      : typeof data === 'string'
        ? Buffer.from(data, 'utf8')
        : Buffer.from(JSON.stringify(data), 'utf8');
