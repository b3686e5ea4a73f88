import type Redis from 'ioredis';

/** Receives a pub/sub message: its Redis channel, and the glob pattern for pattern subscriptions. */
export type PubSubHandler = (message: Buffer, channel: string, pattern?: string) => void;

/**
 * The one pub/sub connection of a transport connection, opened on first use. It routes
 * messages to handlers by channel or pattern; ioredis re-subscribes everything after a
 * reconnection by itself (once: it keeps a set), so nothing is subscribed twice here.
 */
export class Subscriber {
  private client?: Promise<Redis>;
  private readonly channels = new Map<string, PubSubHandler>();
  private readonly patterns = new Map<string, PubSubHandler>();

  constructor(private readonly open: () => Promise<Redis>) {}

  private connection(): Promise<Redis> {
    if (!this.client) {
      this.client = this.open().then(client => {
        client.on('messageBuffer', (channel: Buffer, message: Buffer) => {
          const name = channel.toString('utf8');
          this.channels.get(name)?.(message, name);
        });
        client.on('pmessageBuffer', (pattern: string, channel: Buffer, message: Buffer) => {
          this.patterns.get(pattern)?.(message, channel.toString('utf8'), pattern);
        });
        return client;
      });
      this.client.catch(() => (this.client = undefined));
    }
    return this.client;
  }

  async subscribe(channels: readonly string[], handler: PubSubHandler): Promise<void> {
    const fresh = channels.filter(channel => !this.channels.has(channel));
    for (const channel of channels) this.channels.set(channel, handler);
    if (fresh.length) await (await this.connection()).subscribe(...fresh);
  }

  async psubscribe(patterns: readonly string[], handler: PubSubHandler): Promise<void> {
    const fresh = patterns.filter(pattern => !this.patterns.has(pattern));
    for (const pattern of patterns) this.patterns.set(pattern, handler);
    if (fresh.length) await (await this.connection()).psubscribe(...fresh);
  }

  async unsubscribe(channels: readonly string[], patterns: readonly string[] = []): Promise<void> {
    const gone = channels.filter(channel => this.channels.delete(channel));
    const gonePatterns = patterns.filter(pattern => this.patterns.delete(pattern));
    if (!this.client || (!gone.length && !gonePatterns.length)) return;
    const client = await this.client;
    if (client.status === 'end') return;
    await Promise.all([gone.length && client.unsubscribe(...gone), gonePatterns.length && client.punsubscribe(...gonePatterns)]);
  }

  /** The open client, if any (to close it). */
  opened(): Promise<Redis> | undefined {
    return this.client;
  }
}
