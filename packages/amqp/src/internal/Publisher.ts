import { BrokerUnavailableError } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { AmqpSession } from './AmqpSession';
import { confirmPublish, isChannelGone } from './confirmPublish';
import type { PublishOutcome } from './confirmPublish';
import { toPublishArgs } from './properties';
import type { ResolvedAmqpOptions } from './resolveOptions';
import { Watchdog } from './Watchdog';

/** Where and how a message is published. */
export interface PublishTarget {
  exchange: string;
  routingKey: string;
  persistent: boolean;
  /** Detect unroutable messages (basic.return): emits to a queue that does not exist. */
  mandatory: boolean;
  /** Only on this connection (settling a delivery): never after a reconnection. */
  generation?: number;
}

/**
 * Publishes on the session's confirm channel. During an outage it waits for the
 * reconnection, and publishes again if the connection dropped before the confirm, until
 * `timeout` (then `BrokerUnavailableError`): it never resolves for a message the broker did
 * not take.
 */
export class Publisher {
  /** Deadlines of publishes waiting for their confirm (one timer for all). */
  private readonly watchdog: Watchdog;
  private readonly expired = (): Error => new BrokerUnavailableError(this.options.host, this.options.timeout);

  constructor(
    private readonly session: AmqpSession,
    private readonly options: ResolvedAmqpOptions,
  ) {
    this.watchdog = new Watchdog(Math.max(10, Math.min(250, options.timeout / 10)));
  }

  async publish(target: PublishTarget, message: TransportMessage, headers?: Record<string, unknown>): Promise<PublishOutcome> {
    const { content, options } = toPublishArgs(message, target.persistent, headers);
    options.mandatory = target.mandatory;
    const within = { watchdog: this.watchdog, deadline: Date.now() + this.options.timeout, expired: this.expired };
    for (;;) {
      // the hot path: connected, no waiting
      const live = this.session.current ?? (target.generation === undefined ? await this.session.ready(within.deadline) : undefined);
      if (!live || (target.generation !== undefined && live.generation !== target.generation)) {
        throw new Error('channel closed: the connection was lost before the message could be moved');
      }
      try {
        return await confirmPublish(live.publish.ch, live.returns, target.exchange, target.routingKey, content, options, this.options.confirm, within);
      } catch (error) {
        const retry = target.generation === undefined && isChannelGone(error) && Date.now() < within.deadline;
        // a quorum queue that lost its leader nacks; a channel that published then can go on
        // being nacked after a new leader took over (RabbitMQ 3.10): start afresh (not retried)
        if (this.options.queueType === 'quorum' && /nack/i.test(String((error as Error)?.message)) && this.session.current === live) this.session.recover(live);
        if (!retry) throw error;
      }
    }
  }

  stop(): void {
    this.watchdog.stop();
  }
}
