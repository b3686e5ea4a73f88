import type { DeadLetterInfo } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { EncodedError } from '@tributary/core';
import { AmqpUnroutableError } from '../errors';
import type { AmqpSession } from './AmqpSession';
import type { PublishOutcome } from './confirmPublish';
import { ackDelivery, nackDelivery } from './deliveries';
import type { Delivery } from './deliveries';
import { HEADER } from './properties';
import type { Publisher } from './Publisher';
import type { ResolvedAmqpOptions } from './resolveOptions';
import { declareRetryQueue, retryQueueName } from './topology';

/**
 * Retries and dead letters: a copy is published (confirmed) to the retry or dead-letter
 * queue, and only then the original acknowledged, on the same connection. If it drops in
 * between, the broker redelivers the original instead (at-least-once, never lost).
 */
export class Mover {
  /** Moves under way: close() lets them finish. */
  private readonly moving = new Set<Promise<void>>();

  constructor(
    private readonly session: AmqpSession,
    private readonly publisher: Publisher,
    private readonly options: ResolvedAmqpOptions,
    private readonly persistent: boolean,
  ) {}

  retry(delivery: Delivery, message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    const delay = Math.max(0, Math.round(retry.delay));
    return this.moveThenAck(delivery, async generation => {
      if (delay > 0) await this.ensureRetryQueue(generation, delay);
      const routingKey = delay > 0 ? retryQueueName(this.options.queue, delay) : this.options.queue;
      const target = { exchange: '', routingKey, persistent: this.persistent, mandatory: true, generation };
      return this.publisher.publish(target, { ...message, attempt: retry.attempt });
    });
  }

  deadLetter(delivery: Delivery, message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const queue = this.options.deadLetter;
    if (queue === false) return Promise.resolve(nackDelivery(delivery, false));
    const headers = {
      [HEADER.reason]: info.reason,
      [HEADER.attempts]: info.attempts,
      [HEADER.originalQueue]: this.options.queue,
      [HEADER.deadLetteredAt]: Date.now(),
      ...(info.error ? { [HEADER.errorName]: info.error.name, [HEADER.errorMessage]: info.error.message } : {}),
    };
    return this.moveThenAck(delivery, generation =>
      this.publisher.publish({ exchange: '', routingKey: queue, persistent: this.persistent, mandatory: true, generation }, message, headers),
    );
  }

  /** Waits for the moves under way. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.moving]);
  }

  private moveThenAck(delivery: Delivery, publish: (generation: number) => Promise<PublishOutcome>): Promise<void> {
    const moved = this.move(delivery, publish);
    this.moving.add(moved);
    const done = (): void => void this.moving.delete(moved);
    moved.then(done, done);
    return moved;
  }

  private async move(delivery: Delivery, publish: (generation: number) => Promise<PublishOutcome>): Promise<void> {
    try {
      const outcome = await publish(delivery.channel.live.generation);
      if (outcome === 'returned') throw new AmqpUnroutableError('retry or dead-letter queue (deleted while in use?)');
      ackDelivery(delivery);
    } catch (error) {
      nackDelivery(delivery, true);
      throw error;
    }
  }

  private async ensureRetryQueue(generation: number, delay: number): Promise<void> {
    const live = this.session.current;
    if (!live || live.generation !== generation) throw new Error('channel closed: the connection was lost');
    if (live.retryQueues.has(delay)) return;
    await declareRetryQueue(live.publish.ch, this.options, delay);
    live.retryQueues.add(delay);
  }
}
