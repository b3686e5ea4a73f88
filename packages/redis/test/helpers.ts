import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { firstValueFrom, Observable, Subscription, take, timeout, toArray } from 'rxjs';
import type { Event } from '@tributary/core';
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { createTransportLayer, RedisStrategyOptions } from '@tributary/redis';
import { createTcpProxy, TcpProxy } from '@tributary/testing/conformance';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One test's world: a unique key prefix and channel names, its connections, and cleanup. */
export class RedisTestBed {
  readonly id = randomUUID();
  readonly keyPrefix = `test:${this.id}:`;
  readonly admin = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 3 });
  private readonly connections: TransportLayerConnection[] = [];
  private readonly subscriptions: Subscription[] = [];

  /** A channel name unique to this test (the connection names carry it, see `kill`). */
  channel(name: string): string {
    return `${name}-${this.id.slice(0, 8)}`;
  }

  key(name: string): string {
    return this.keyPrefix + name;
  }

  async connect(options: Partial<RedisStrategyOptions> & { channel: string }, isConsumer = true): Promise<TransportLayerConnection> {
    const layer = createTransportLayer({ host: REDIS_URL, keyPrefix: this.keyPrefix, timeout: 5_000, blockTime: 200, ...options });
    const connection = await layer.connect({ isConsumer });
    this.connections.push(connection);
    return connection;
  }

  /** Subscribes to `message$` (starting consumption) and records what arrives. */
  consume(connection: TransportLayerConnection, onMessage?: (message: TransportMessage) => void): TransportMessage[] {
    const received: TransportMessage[] = [];
    this.subscriptions.push(
      connection.message$.subscribe(message => {
        received.push(message);
        onMessage?.(message);
      }),
    );
    return received;
  }

  /** Kills (CLIENT KILL ID) every connection of this test of `type`, as `CLIENT KILL TYPE <type>` would, without touching other tests. */
  async kill(type: 'normal' | 'pubsub' = 'normal'): Promise<number> {
    const list = String(await this.admin.call('CLIENT', 'LIST', 'TYPE', type));
    const ids = list
      .split('\n')
      .filter(line => line.includes(this.id.slice(0, 8)))
      .map(line => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await this.admin.client('KILL', 'ID', id);
    return ids.length;
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await Promise.all(this.connections.map(connection => connection.close()));
    let cursor = '0';
    do {
      const [next, keys] = await this.admin.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
      if (keys.length) await this.admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await this.admin.quit();
  }
}

/** An envelope as the messaging layer encodes it. */
export const envelope = (event: Event): Buffer => Buffer.from(JSON.stringify(event), 'utf8');

/** A transport message as the messaging layer hands it over. */
export const outgoing = (event: Event): TransportMessage => ({
  data: envelope(event),
  type: event.type,
  messageId: event.metadata?.id,
  correlationId: event.metadata?.correlationId,
  replyTo: event.metadata?.replyTo,
});

export const decode = (message: TransportMessage): Event => JSON.parse((message.data as Buffer).toString('utf8'));

/** Waits (bounded) until `check` holds. */
export const waitFor = async (check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
};

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** The first `n` values of a stream, within `ms`. */
export const firstN = <T>(source$: Observable<T>, n: number, ms = 5_000): Promise<T[]> =>
  firstValueFrom(source$.pipe(take(n), toArray(), timeout(ms)));

/**
 * A fresh test bed for each test, and a loopback proxy to Redis made on first ask (for cuts and
 * lost answers); after each test the proxy is restored, the bed closed, the proxy closed.
 */
export const bedWithProxy = (): { readonly bed: RedisTestBed; proxy(): Promise<TcpProxy> } => {
  let bed: RedisTestBed;
  let proxy: TcpProxy | undefined;
  beforeEach(() => {
    bed = new RedisTestBed();
  });
  afterEach(async () => {
    await proxy?.restore();
    await bed.close();
    await proxy?.close();
    proxy = undefined;
  });
  return {
    get bed() {
      return bed;
    },
    proxy: async () => (proxy ??= await createTcpProxy({ port: 6379 })),
  };
};
