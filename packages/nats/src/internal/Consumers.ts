import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { reconnectDelay } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { Subject } from 'rxjs';
import { fromNatsMessage } from './headers';
import type { InFlight } from './InFlight';
import type { ResolvedNatsOptions } from './resolveOptions';
import { rpcSubject } from './subjects';
import type { ConsumerSpec, Topology } from './Topology';

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Notifications after which a pull consumer gets no more messages until it is created again. */
const GONE = new Set(['consumer_deleted', 'consumer_not_found', 'stream_not_found']);

/**
 * The consuming side of a service: one pull loop per durable consumer (its channel and each
 * `subscribe` pattern) and the core subscription of requests (`<channel>.rpc`, a queue group,
 * so instances compete). A consumer deleted on the server is created again.
 */
export class Consumers {
  private stopped = true;
  private sink?: (message: TransportMessage) => void;
  private readonly held = new Set<JsMsg>();
  private rpc?: Subscription;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly specs: ConsumerSpec[],
    private readonly inflight: InFlight,
    private readonly options: ResolvedNatsOptions,
    private readonly error$: Subject<Error>,
  ) {}

  start(sink: (message: TransportMessage) => void): void {
    if (this.loops.length > 0) throw new Error('@tributary/nats: message$ is consumed once per connection; open another connection to consume again.');
    this.stopped = false;
    this.sink = sink;
    this.rpc = this.nc.subscribe(rpcSubject(this.options.channel), {
      queue: this.options.channel,
      callback: (error, msg) => (error ? this.error$.next(error) : this.core(msg)),
    });
    this.loops = this.specs.map(spec => this.run(spec));
  }

  /**
   * Stops handing messages out. The pull subscriptions stay open until the connection closes:
   * the server may still push messages for the pull requests it holds (it does not withdraw
   * them), and those are held, unsettled, so that it does not push them to us again.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.rpc?.unsubscribe();
  }

  /**
   * Gives the held messages back with a short delay (`nak(delay)`), so that they are
   * redelivered once this connection, which must close right after, is gone.
   */
  release(delay: number): void {
    this.stop();
    for (const msg of this.held) msg.nak(delay);
    this.held.clear();
  }

  /** Waits for the pull loops to end (after the connection closed). */
  async closed(): Promise<void> {
    await Promise.all(this.loops);
  }

  private async run(spec: ConsumerSpec): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.topology.consumer(spec);
        const consumer = await this.js.consumers.get(spec.stream, spec.name);
        if (this.stopped) return;
        const messages = await consumer.consume({ max_messages: this.options.prefetch, expires: this.options.pullExpires, callback: msg => this.jetstream(msg) });
        attempt = 0;
        await Promise.race([messages.closed(), this.gone(messages)]);
        if (this.stopped) return;
        // the consumer (or its stream) was deleted: create it again
        await messages.close().catch(() => undefined);
        this.topology.reset();
      } catch (error) {
        if (this.stopped) return;
        this.error$.next(error as Error);
        await sleep(reconnectDelay(++attempt, this.options.reconnect));
      }
    }
  }

  private async gone(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (GONE.has(status.type)) return;
    }
  }

  private jetstream(msg: JsMsg): void {
    if (this.stopped) {
      this.held.add(msg);
      return;
    }
    const raw = this.inflight.add({ kind: 'js', msg, touched: Date.now() });
    this.hand(fromNatsMessage(msg.data, msg.headers, raw, msg.info.deliveryCount));
  }

  private core(msg: Msg): void {
    if (this.stopped) return;
    const raw = this.inflight.add({ kind: 'core', msg, touched: Date.now() });
    const message = fromNatsMessage(msg.data, msg.headers, raw, 1);
    if (msg.reply) message.replyTo = msg.reply;
    this.hand(message);
  }

  private hand(message: TransportMessage): void {
    try {
      this.sink!(message);
    } catch (error) {
      this.error$.next(error as Error);
    }
  }
}
