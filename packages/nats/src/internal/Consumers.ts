import type { Consumer, JetStreamClient, JsMsg } from '@nats-io/jetstream';
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
   * Stops handing messages out. The pull requests already made stay open until they expire or
   * the connection closes: what the server still pushes for them is held, unsettled, so that
   * it does not push it to us again.
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

  /**
   * One pull loop: waits until this instance holds fewer than `prefetch` unsettled messages,
   * asks for as many as there is room for (a pull request open up to `pullExpires`), hands
   * them out as they arrive, and again. A failure (connection lost, consumer deleted) is
   * retried with backoff, creating the consumer again when it is gone.
   */
  private async run(spec: ConsumerSpec): Promise<void> {
    let attempt = 0;
    let consumer: Consumer | undefined;
    while (!this.stopped) {
      try {
        if (!consumer) {
          await this.topology.consumer(spec);
          consumer = await this.js.consumers.get(spec.stream, spec.name);
        }
        await this.inflight.messages.below(this.options.prefetch);
        if (this.stopped) return;
        const room = Math.max(1, this.options.prefetch - this.inflight.messages.size);
        const batch = await consumer.fetch({ max_messages: room, expires: this.options.pullExpires });
        for await (const msg of batch) this.jetstream(msg);
        attempt = 0;
      } catch (error) {
        if (this.stopped) return;
        consumer = undefined;
        this.topology.reset();
        this.error$.next(error as Error);
        await sleep(reconnectDelay(++attempt, this.options.reconnect));
      }
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
