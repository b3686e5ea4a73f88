import type { Event } from '@tributary/core';
import type { TransportMessageTransformer } from './transport.interface';

/**
 * The default transformer: UTF-8 JSON.
 *
 * @example
 * ```ts
 * import { jsonTransformer } from '@tributary/messaging';
 * const bytes = jsonTransformer.encode({ type: 'Ping', payload: 1 });
 * jsonTransformer.decode(bytes); // { type: 'Ping', payload: 1 }
 * ```
 * @since 0.1.0
 * @category transport
 */
export const jsonTransformer: TransportMessageTransformer = {
  decode: <T extends Event = Event>(incoming: Buffer): T => JSON.parse(incoming.toString('utf8')) as T,
  encode: (outgoing: Event): Buffer => Buffer.from(JSON.stringify(outgoing), 'utf8'),
};
