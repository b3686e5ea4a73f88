import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Publishes `count` dead letters straight into the dead-letter stream of `channel` (created
 * when missing, as the transport creates it), in the format the transport writes them: the
 * original headers (`Nats-Msg-Id` `<idPrefix><i>`, `x-type`, a user header) plus the error ones.
 */
export const produceDeadLetters = async (
  nc: NatsConnection,
  channel: string,
  count: number,
  type: (i: number) => string = i => (i % 2 ? 'OrderPlaced' : 'OrderCancelled'),
  idPrefix = 'dl-',
): Promise<void> => {
  const jsm = await jetstreamManager(nc);
  const subject = `${channel}.dead-letter`;
  const name = `${channel.replace(/[.*>\s/\\]/g, '_')}_dead-letter`;
  await jsm.streams.info(name).catch(() => jsm.streams.add({ name, subjects: [subject], retention: RetentionPolicy.Limits, storage: StorageType.File }));
  const js = jetstream(nc);
  for (let start = 0; start < count; start += 100) {
    const sends: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const h = natsHeaders();
      h.set('Nats-Msg-Id', `${idPrefix}${i}`);
      h.set('x-type', type(i));
      h.set('x-correlation-id', `c-${i}`);
      h.set('x-key', `k-${i % 7}`);
      h.set('tenant', 'acme');
      h.set('x-dead-letter-reason', 'failed');
      h.set('x-error-name', 'TypeError');
      h.set('x-error-message', 'cannot read properties of undefined');
      h.set('x-attempts', '3');
      h.set('x-original-subject', channel);
      sends.push(js.publish(subject, Buffer.from(JSON.stringify({ type: type(i), payload: { n: i } })), { headers: h }));
    }
    await Promise.all(sends);
  }
};
