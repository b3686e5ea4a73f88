import { randomUUID } from 'node:crypto';
import type * as amqp from 'amqplib';
import type { Watchdog } from './Watchdog';

/** `routed`: at least one queue took it; `returned`: no queue did (mandatory publish). */
export type PublishOutcome = 'routed' | 'returned';

/**
 * Remembers which mandatory publishes came back unroutable. RabbitMQ sends `basic.return`
 * before the `basic.ack` of the same message on the same channel, so the ack callback can
 * tell; messages are told apart by `messageId` (set when missing).
 */
export class ReturnTracker {
  private readonly returned = new Map<string, number>();

  constructor(channel: amqp.Channel) {
    channel.on('return', (msg: amqp.Message) => {
      const id = msg.properties.messageId as string | undefined;
      if (id !== undefined) this.returned.set(id, (this.returned.get(id) ?? 0) + 1);
    });
  }

  take(id: string): boolean {
    const count = this.returned.get(id);
    if (count === undefined) return false;
    if (count <= 1) this.returned.delete(id);
    else this.returned.set(id, count - 1);
    return true;
  }
}

/** Where a publish waits for its confirm: a watchdog rejects it with `expired()` at `deadline`. */
export interface ConfirmDeadline {
  watchdog: Watchdog;
  deadline: number;
  expired: () => Error;
}

/**
 * Publishes on a confirm channel and resolves once the broker acknowledged it; rejects on a
 * broker nack, when the channel closes first (`error.message` is then 'channel closed'), or
 * at the deadline. With `waitConfirm: false` it resolves as soon as the frames are written.
 */
export const confirmPublish = (
  channel: amqp.ConfirmChannel,
  returns: ReturnTracker,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: amqp.Options.Publish,
  waitConfirm = true,
  within?: ConfirmDeadline,
): Promise<PublishOutcome> =>
  new Promise<PublishOutcome>((resolve, reject) => {
    if (options.mandatory && options.messageId === undefined) options.messageId = randomUUID();
    const id = options.messageId;
    const watched = waitConfirm && within ? { deadline: within.deadline, expire: () => reject(within.expired()) } : undefined;
    try {
      channel.publish(exchange, routingKey, content, options, error => {
        if (watched) within!.watchdog.unwatch(watched);
        const returned = options.mandatory === true && id !== undefined && returns.take(id);
        if (!waitConfirm) return;
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(returned ? 'returned' : 'routed');
      });
    } catch (error) {
      // the channel is already closed: amqplib throws synchronously
      reject(error);
      return;
    }
    if (!waitConfirm) resolve('routed');
    else if (watched) within!.watchdog.watch(watched);
  });

/** Whether a publish failed because its channel or connection went away (worth a retry after reconnecting). */
export const isChannelGone = (error: unknown): boolean => /channel closed|connection closed|channel ended/i.test(String((error as Error)?.message));
