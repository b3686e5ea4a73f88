import type * as amqp from 'amqplib';

/** Publishes `count` dead letters straight into `<queue>.dead-letter`, in the format the transport writes them. */
export const produceDeadLetters = async (ch: amqp.ConfirmChannel, queue: string, count: number, type: (i: number) => string = i => (i % 2 ? 'OrderPlaced' : 'OrderCancelled'), idPrefix = 'dl-'): Promise<void> => {
  for (let i = 0; i < count; i++) {
    ch.sendToQueue(queue + '.dead-letter', Buffer.from(JSON.stringify({ type: type(i), payload: { n: i } })), {
      messageId: `${idPrefix}${i}`,
      correlationId: `c-${i}`,
      type: type(i),
      persistent: true,
      contentType: 'application/json',
      headers: {
        tenant: 'acme',
        'x-key': `k-${i % 7}`,
        'x-attempt': 3,
        'x-error-name': 'TypeError',
        'x-error-message': 'cannot read properties of undefined',
        'x-attempts': 3,
        'x-dead-letter-reason': 'failed',
        'x-original-queue': queue,
        'x-dead-lettered-at': Date.now() - 60_000,
      },
    });
  }
  await ch.waitForConfirms();
};
