import type * as amqp from 'amqplib';
import type { Subject } from 'rxjs';
import { CoreError } from '@tributary/core';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { AmqpSession } from './AmqpSession';
import type { Live, LiveChannel } from './live';
import type { Deliveries } from './deliveries';
import { fromDelivery } from './properties';
import type { ResolvedAmqpOptions } from './resolveOptions';

interface Consumer {
  active: boolean;
  /** The connection it consumes on (0: none yet). */
  generation: number;
  tag?: string;
  channel?: LiveChannel;
  deliver(message: TransportMessage): void;
}

const noop = (): void => undefined;

/**
 * The consumers of the service queue (one per `message$` subscription), on one channel per
 * connection with `prefetchCount`; started again on every reconnection, each exactly once.
 */
export class Consumers {
  private readonly consumers = new Set<Consumer>();
  private readonly channels = new WeakMap<Live, Promise<LiveChannel>>();

  constructor(
    private readonly session: AmqpSession,
    private readonly options: ResolvedAmqpOptions,
    private readonly errors: Subject<Error>,
    private readonly deliveries: Deliveries,
  ) {}

  /** Starts consuming now (or on the next connection); returns how to stop. */
  add(deliver: (message: TransportMessage) => void): () => void {
    const consumer: Consumer = { active: true, generation: 0, deliver };
    this.consumers.add(consumer);
    const live = this.session.current;
    if (live) this.start(live, consumer).catch(() => live.alive && this.session.recover(live));
    return () => {
      consumer.active = false;
      this.consumers.delete(consumer);
      this.cancel(consumer);
    };
  }

  /** Session hook: consume on a new connection. */
  async resume(live: Live): Promise<void> {
    for (const consumer of [...this.consumers]) await this.start(live, consumer);
  }

  private async start(live: Live, consumer: Consumer): Promise<void> {
    if (!consumer.active || consumer.generation === live.generation) return;
    consumer.generation = live.generation;
    const channel = await this.channel(live);
    const { consumerTag } = await channel.ch.consume(this.options.queue, msg => this.receive(channel, consumer, msg), { noAck: false });
    consumer.tag = consumerTag;
    consumer.channel = channel;
    if (!consumer.active) this.cancel(consumer);
  }

  private receive(channel: LiveChannel, consumer: Consumer, msg: amqp.ConsumeMessage | null): void {
    if (msg === null) {
      // the broker cancelled us (queue deleted): reconnecting declares it again
      this.errors.next(
        new CoreError(`The broker cancelled the consumer of "${this.options.queue}" (was the queue deleted?); reconnecting to declare it again.`, {
          context: 'amqp.consume',
        }),
      );
      if (channel.live.alive) this.session.recover(channel.live);
      return;
    }
    if (!consumer.active) {
      // arrived between unsubscribe and the broker's cancel-ok: give it back
      if (channel.open) channel.ch.nack(msg, false, true);
      return;
    }
    this.deliveries.add(msg, { msg, channel });
    consumer.deliver(fromDelivery(msg));
  }

  private cancel(consumer: Consumer): void {
    const { channel, tag } = consumer;
    if (channel?.open && tag) channel.ch.cancel(tag).catch(noop);
  }

  private channel(live: Live): Promise<LiveChannel> {
    let channel = this.channels.get(live);
    if (!channel) {
      channel = this.session.openChannel<amqp.Channel>(live, false).then(async opened => {
        await opened.ch.prefetch(this.options.prefetchCount);
        return opened;
      });
      channel.catch(() => this.channels.delete(live));
      this.channels.set(live, channel);
    }
    return channel;
  }
}
