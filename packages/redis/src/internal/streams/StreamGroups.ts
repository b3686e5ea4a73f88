import type Redis from 'ioredis';
import { matchTopic } from '@tributary/messaging/transport';
import type { ResolvedRedisOptions } from '../resolveOptions';
import { isWildcard } from '../topicPatterns';

/** Creates a consumer group (and the stream) unless it exists. */
export const createGroup = async (client: Redis, stream: string, group: string, start: string): Promise<void> => {
  try {
    await client.xgroup('CREATE', stream, group, start, 'MKSTREAM');
  } catch (error) {
    if (!String((error as Error)?.message).includes('BUSYGROUP')) throw error;
  }
};

/**
 * The streams a service reads with its group: its own stream (group from `0`, so what was
 * emitted before the service first started is processed), then one stream per published type
 * it subscribes to. A topic group starts at the moment the service first subscribed the
 * pattern (kept in `<channel>:subscriptions`), so a service gets every event published since
 * it subscribed, also those published while it was down, and none from before.
 */
export class StreamGroups {
  /** Stream keys to read, the service stream first. */
  readonly streams: string[] = [];
  private readonly since = new Map<string, number>();
  private readonly wildcards: string[];

  constructor(private readonly options: ResolvedRedisOptions) {
    this.wildcards = options.subscribe.filter(isWildcard);
    this.streams.push(options.keys.channel);
  }

  get hasWildcards(): boolean {
    return this.wildcards.length > 0;
  }

  /** Creates what is missing (idempotent; also after Redis lost its data). */
  async ensure(client: Redis): Promise<void> {
    const { keys, group, subscribe } = this.options;
    await createGroup(client, keys.channel, group, '0');
    if (!subscribe.length) return;
    const [seconds, micros] = await client.time();
    const now = String(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
    const pipeline = client.pipeline();
    for (const pattern of subscribe) pipeline.hsetnx(keys.subscriptions, pattern, now);
    pipeline.hgetall(keys.subscriptions);
    const results = (await pipeline.exec()) ?? [];
    const registered = (results[results.length - 1]?.[1] ?? {}) as Record<string, string>;
    for (const pattern of subscribe) this.since.set(pattern, Number(registered[pattern] ?? now));
    for (const type of subscribe.filter(pattern => !isWildcard(pattern))) await this.add(client, type, [type], true);
    await this.discover(client, undefined, true);
  }

  /** Adds the topic streams of `types` (default: every type ever published) that wildcard subscriptions match; returns the new ones. */
  async discover(client: Redis, types?: readonly string[], recreate = false): Promise<string[]> {
    if (!this.wildcards.length) return [];
    const candidates = types ?? (await client.smembers(this.options.keys.topicIndex));
    const added: string[] = [];
    for (const type of candidates) {
      const matching = this.wildcards.filter(pattern => matchTopic(pattern, type));
      if (matching.length && (await this.add(client, type, matching, recreate))) added.push(this.options.keys.topic(type));
    }
    return added;
  }

  private async add(client: Redis, type: string, patterns: readonly string[], recreate: boolean): Promise<boolean> {
    const stream = this.options.keys.topic(type);
    const known = this.streams.includes(stream);
    if (known && !recreate) return false;
    // from 1 ms before the subscription: an event published in the same millisecond is included
    const since = Math.min(...patterns.map(pattern => this.since.get(pattern) ?? Date.now())) - 1;
    await createGroup(client, stream, this.options.group, `${since}-0`);
    if (known) return false;
    this.streams.push(stream);
    return true;
  }
}
