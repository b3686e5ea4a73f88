import type Redis from 'ioredis';
import type { ResolvedRedisOptions } from '../resolveOptions';

/** An entry being processed here, and since when. */
export interface HeldEntry {
  readonly stream: string;
  readonly id: string;
  readonly deliveredAt: number;
}

/**
 * Keeps the entries this consumer is still processing its own: every `claimIdleTime / 3` it
 * resets their idle time (`XCLAIM ... 0 <ids> JUSTID`, which does not count a delivery), so
 * that a slow handler is not mistaken for a dead consumer and its entry claimed by another.
 */
export class LeaseKeeper {
  private timer?: NodeJS.Timeout;
  private readonly period: number;

  constructor(
    private readonly client: Redis,
    private readonly options: ResolvedRedisOptions,
    private readonly held: () => Iterable<HeldEntry>,
    private readonly report: (error: unknown) => void,
  ) {
    this.period = Math.max(50, Math.floor(options.claimIdleTime / 3));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.renew().catch(this.report), this.period);
  }

  private async renew(): Promise<void> {
    const since = Date.now() - this.period;
    const byStream = new Map<string, string[]>();
    for (const entry of this.held()) {
      if (entry.deliveredAt > since) continue;
      const ids = byStream.get(entry.stream) ?? [];
      ids.push(entry.id);
      byStream.set(entry.stream, ids);
    }
    const { group, consumer } = this.options;
    for (const [stream, ids] of byStream) await this.client.xclaim(stream, group, consumer, 0, ...ids, 'JUSTID');
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Removes this consumer from its groups when nothing is pending for it (a graceful stop), so
 * that consumer lists do not grow with every deployment. A consumer with pending entries is
 * kept: deleting it would drop them from the group.
 */
export const retireConsumer = async (client: Redis, options: ResolvedRedisOptions, streams: readonly string[]): Promise<void> => {
  const { group, consumer } = options;
  for (const stream of streams) {
    const pending = (await client.xpending(stream, group, '-', '+', 1, consumer)) as unknown[];
    if (pending.length === 0) await client.xgroup('DELCONSUMER', stream, group, consumer);
  }
};
