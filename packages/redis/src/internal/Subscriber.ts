import type Redis from 'ioredis';

/** Receives a pub/sub message: its Redis channel, and the glob pattern for pattern subscriptions. */
export type PubSubHandler = (message: Buffer, channel: string, pattern?: string) => void;

/**
 * The one pub/sub connection of a transport connection, opened on first use and kept
 * through outages (ioredis reconnects it and re-subscribes everything, once: it keeps a set,
 * so nothing is subscribed twice). It routes messages to handlers by channel or pattern.
 * `subscribe` resolves once Redis confirmed the subscription, however long that takes;
 * callers that must not wait bound it themselves.
 */
export class Subscriber {
  private client?: Promise<Redis>;
  private readonly channels = new Map<string, { handler: PubSubHandler; done: Promise<unknown> }>();
  private readonly patterns = new Map<string, { handler: PubSubHandler; done: Promise<unknown> }>();

  /** `sharded(channel)`: subscribe with `SSUBSCRIBE` (Redis Cluster, see `RedisKeys.sharded`). */
  constructor(
    private readonly open: () => Promise<Redis>,
    private readonly sharded: (channel: string) => boolean = () => false,
  ) {}

  private connection(): Promise<Redis> {
    if (!this.client) {
      this.client = this.open().then(client => {
        client.on('messageBuffer', (channel: Buffer, message: Buffer) => {
          const name = channel.toString('utf8');
          this.channels.get(name)?.handler(message, name);
        });
        client.on('smessageBuffer', (channel: Buffer, message: Buffer) => {
          const name = channel.toString('utf8');
          this.channels.get(name)?.handler(message, name);
        });
        client.on('pmessageBuffer', (pattern: string, channel: Buffer, message: Buffer) => {
          this.patterns.get(pattern)?.handler(message, channel.toString('utf8'), pattern);
        });
        return client;
      });
      this.client.catch(() => (this.client = undefined));
    }
    return this.client;
  }

  subscribe(channels: readonly string[], handler: PubSubHandler): Promise<void> {
    return this.add(this.channels, channels, handler, (client, fresh) => {
      const sharded = fresh.filter(this.sharded);
      const classic = fresh.filter(name => !this.sharded(name));
      // one SSUBSCRIBE per channel: a cluster refuses channels of several slots in one
      return Promise.all([classic.length && client.subscribe(...classic), ...sharded.map(name => client.ssubscribe(name))]);
    });
  }

  psubscribe(patterns: readonly string[], handler: PubSubHandler): Promise<void> {
    return this.add(this.patterns, patterns, handler, (client, fresh) => client.psubscribe(...fresh));
  }

  private async add(
    table: Map<string, { handler: PubSubHandler; done: Promise<unknown> }>,
    names: readonly string[],
    handler: PubSubHandler,
    run: (client: Redis, fresh: string[]) => Promise<unknown>,
  ): Promise<void> {
    const fresh = names.filter(name => !table.has(name));
    const done = fresh.length ? this.connection().then(client => run(client, fresh)) : Promise.resolve();
    // a failed subscription is forgotten, so that the next call tries again
    done.catch(() => fresh.forEach(name => table.get(name)?.done === done && table.delete(name)));
    for (const name of fresh) table.set(name, { handler, done });
    for (const name of names) table.get(name)!.handler = handler;
    await Promise.all(names.map(name => table.get(name)?.done ?? done));
  }

  async unsubscribe(channels: readonly string[], patterns: readonly string[] = []): Promise<void> {
    const gone = channels.filter(channel => this.channels.delete(channel));
    const gonePatterns = patterns.filter(pattern => this.patterns.delete(pattern));
    if (!this.client || (!gone.length && !gonePatterns.length)) return;
    const client = await this.client;
    if (client.status === 'end') return;
    const classic = gone.filter(name => !this.sharded(name));
    await Promise.all([
      classic.length && client.unsubscribe(...classic),
      ...gone.filter(this.sharded).map(name => client.sunsubscribe(name)),
      gonePatterns.length && client.punsubscribe(...gonePatterns),
    ]);
  }
}
