import type * as amqp from 'amqplib';
import type { ReturnTracker } from './confirmPublish';

/** A channel of one connection; `open` turns false when it closes, for good. */
export interface LiveChannel<C extends amqp.Channel = amqp.Channel> {
  readonly ch: C;
  readonly live: Live;
  open: boolean;
}

/** One broker connection and its publish channel; a reconnection makes a new one. */
export interface Live {
  readonly generation: number;
  readonly connection: amqp.ChannelModel;
  alive: boolean;
  publish: LiveChannel<amqp.ConfirmChannel>;
  returns: ReturnTracker;
  /** Retry queues declared on this connection (by delay). */
  readonly retryQueues: Set<number>;
  /** Every channel opened on it, closed one by one on close (so that their last acks go out first). */
  readonly channels: Set<LiveChannel>;
}
