import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { Transport } from '@tributary/messaging';
import type { TransportLayerConnection } from '@tributary/messaging/transport';
import { describeTransportConformance } from '@tributary/testing/conformance';
import type { DeadLetterRecord, TransportConformanceSetup } from '@tributary/testing/conformance';
import { createTransportLayer, RedisStrategyOptions } from '@tributary/redis';
import { decode, outgoing, sleep, waitFor } from './helpers';
import { CLUSTER_NODES, clusterAdmin, masterOf, restartNode, startCluster, stopCluster } from './helpers/redisCluster';

/*
 * Redis Cluster: six nodes (three masters, three replicas) on 127.0.0.1:7000-7005, started
 * by helpers/cluster.sh and stopped at the end. The streams conformance cases, then a master
 * killed under load.
 */
startCluster();
const admin: Cluster = clusterAdmin();
const keyPrefix = `conf:${randomUUID().slice(0, 8)}:`;

afterAll(async () => {
  admin.disconnect();
  stopCluster();
});

const record = (flat: Buffer[]): DeadLetterRecord => {
  const fields = new Map<string, Buffer>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i].toString('utf8'), flat[i + 1]);
  const text = (name: string) => fields.get(name)?.toString('utf8');
  const headers = text('headers');
  let envelope: { type?: string; metadata?: { headers?: Record<string, string> } } = {};
  try {
    envelope = JSON.parse(text('data') ?? '') ?? {};
  } catch {
    // not an envelope
  }
  return {
    type: text('type') ?? envelope.type,
    reason: text('reason') ?? '',
    errorName: text('errorName'),
    errorMessage: text('errorMessage'),
    attempts: Number(text('attempts')),
    headers: headers === undefined ? (envelope.metadata?.headers ?? {}) : JSON.parse(headers),
    body: fields.get('data'),
  };
};

const setup: TransportConformanceSetup = {
  transport: Transport.REDIS,
  serviceOptions: (channel, extra) => ({ cluster: CLUSTER_NODES, channel, mode: 'streams', keyPrefix, blockTime: 200, claimIdleTime: 2_000, ...extra }),
  injectRaw: async (channel, bytes) => {
    await admin.xadd(`${keyPrefix}{${channel}}`, '*', 'data', bytes);
  },
  readDeadLetters: async channel => {
    const entries = await admin.xrangeBuffer(`${keyPrefix}{${channel}}:dead-letter`, '-', '+');
    return entries.map(([, flat]) => record(flat));
  },
  capabilities: { faultInjection: false },
  reasons: {
    faultInjection: 'a cluster has six nodes to cut: the failover case below kills a master instead',
  },
  timeoutMs: 30_000,
};

describeTransportConformance('Redis Cluster streams', setup);

// pub/sub mode on a cluster: service and reply channels sharded (SPUBLISH/SSUBSCRIBE), topics classic
describeTransportConformance('Redis Cluster pubsub', {
  ...setup,
  serviceOptions: (channel, extra) => ({ cluster: CLUSTER_NODES, channel, mode: 'pubsub', keyPrefix, ...extra }),
  injectRaw: async (channel, bytes) => {
    await admin.spublish(`${keyPrefix}{${channel}}`, bytes);
  },
  capabilities: { faultInjection: false, persistence: false, competingConsumers: false },
  reasons: {
    ...setup.reasons,
    persistence: 'pub/sub is at-most-once: a message published while no instance listens is gone',
    competingConsumers: 'pub/sub: every running instance of a service receives every message',
  },
});

describe('Redis Cluster: a started instance competes at once', () => {
  // connect + message$.subscribe is what createMicroservice does before it resolves: from
  // then on the instance must take its share, even of a burst emitted in the same moment
  test('a burst emitted right after two instances started reaches both', async () => {
    const channel = `join-${randomUUID().slice(0, 8)}`;
    const options = { cluster: CLUSTER_NODES, keyPrefix, channel, mode: 'streams' as const, timeout: 10_000, blockTime: 200 };
    const connections: TransportLayerConnection[] = [];
    const seen = new Map<string, number[]>();
    try {
      const producer = await createTransportLayer(options).connect({ isConsumer: false });
      connections.push(producer);
      for (const instance of ['a', 'b']) {
        const connection = await createTransportLayer(options).connect({ isConsumer: true });
        connections.push(connection);
        seen.set(instance, []);
        connection.message$.subscribe(message => {
          seen.get(instance)!.push((decode(message).payload as { n: number }).n);
          void connection.ackMessage(message);
        });
      }
      const count = 40;
      await Promise.all(Array.from({ length: count }, (_, n) => producer.emitMessage(channel, outgoing({ type: 'Work', payload: { n } }))));
      await waitFor(() => seen.get('a')!.length + seen.get('b')!.length >= count, 10_000, `${count} received`);
      expect([...seen.get('a')!, ...seen.get('b')!].sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, n) => n));
      expect({ a: seen.get('a')!.length > 0, b: seen.get('b')!.length > 0 }).toEqual({ a: true, b: true });
    } finally {
      await Promise.all(connections.map(connection => connection.close()));
    }
  }, 30_000);
});

describe('Redis Cluster: a master killed under load', () => {
  const connections: TransportLayerConnection[] = [];
  afterEach(async () => {
    await Promise.all(connections.splice(0).map(connection => connection.close()));
  });

  const connect = async (options: Partial<RedisStrategyOptions> & { channel: string }, isConsumer: boolean): Promise<TransportLayerConnection> => {
    const layer = createTransportLayer({ cluster: CLUSTER_NODES, keyPrefix, mode: 'streams', timeout: 20_000, blockTime: 200, ...options });
    const connection = await layer.connect({ isConsumer });
    connections.push(connection);
    return connection;
  };

  /** Emits until `total` emits resolved (`concurrency` at a time), SIGKILLing the service's master after `killAfter`; then waits for the survivors to deliver. */
  const run = async (replicas: number) => {
    startCluster(); // a fresh cluster when the previous case left a master dead
    const channel = `failover-${randomUUID().slice(0, 8)}`;
    const received: number[] = [];
    let killedAt = 0;
    const consumer = await connect({ channel }, true);
    let receivedAfterKill = 0;
    consumer.message$.subscribe(message => {
      received.push((decode(message).payload as { n: number }).n);
      if (killedAt) receivedAfterKill++;
      void consumer.ackMessage(message);
    });
    const producer = await connect({ channel, replicas }, false);
    const acknowledged = new Set<number>();
    let failed = 0;
    let next = 0;
    let restart: NodeJS.Timeout | undefined;
    const total = 2_000;
    const killAfter = 600;
    const started = Date.now();
    const master = await masterOf(admin, `${keyPrefix}{${channel}}`);
    const worker = async (): Promise<void> => {
      while (acknowledged.size < total && Date.now() - started < 90_000) {
        const n = next++;
        try {
          await producer.emitMessage(channel, outgoing({ type: 'Tick', payload: { n } }));
          acknowledged.add(n);
        } catch {
          failed++;
          await sleep(50);
        }
        if (!killedAt && acknowledged.size >= killAfter) {
          killedAt = Date.now();
          process.kill(master.pid, 'SIGKILL');
          // a supervisor restarts it after a while; until then the promoted replica has no replica
          restart = setTimeout(() => restartNode(master.port), 5_000);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const emitted = Date.now();
    // not after the cluster is stopped
    clearTimeout(restart);
    const beforeKill = killedAt - started;
    await waitFor(() => [...acknowledged].every(n => received.includes(n)), 30_000, 'every acknowledged emit received').catch(() => undefined);
    const unique = new Set(received);
    const lost = [...acknowledged].filter(n => !unique.has(n)).length;
    const result = {
      replicas,
      acknowledged: acknowledged.size,
      failedEmits: failed,
      received: received.length,
      receivedAfterKill,
      duplicates: received.length - unique.size,
      lost,
      msBeforeKill: beforeKill,
      msAfterKill: emitted - killedAt,
      receivedAllMs: Date.now() - started,
      killedPort: master.port,
    };
    console.log(`Redis Cluster failover: ${JSON.stringify(result)}`);
    return result;
  };

  test('replicas: 0 (asynchronous replication): the service resumes on the promoted replica; acknowledged emits may be lost (measured)', async () => {
    const result = await run(0);
    expect(result.acknowledged).toBeGreaterThanOrEqual(2_000);
    // resumed: entries emitted after the kill reached the consumer
    expect(result.receivedAfterKill).toBeGreaterThan(0);
  }, 150_000);

  test('replicas: 1 (WAIT after XADD): no acknowledged emit is lost, the service resumes on the promoted replica', async () => {
    const result = await run(1);
    expect(result.acknowledged).toBeGreaterThanOrEqual(2_000);
    expect(result.lost).toBe(0);
    expect(result.receivedAfterKill).toBeGreaterThan(0);
  }, 150_000);
});
