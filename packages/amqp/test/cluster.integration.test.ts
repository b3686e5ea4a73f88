/**
 * A three-node RabbitMQ cluster of our own (helpers/rabbit-cluster.sh: tributary-c1..c3@localhost
 * on 127.0.0.1:5681-5683, never the machine's rabbit@localhost), a service on a quorum queue
 * connected with `hosts`, and the queue's leader SIGKILLed under load: no confirmed emit is
 * lost, and the service goes on on a survivor.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TransportLayerConnection } from '@tributary/messaging/transport';
import { createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';

const script = join(__dirname, 'helpers', 'rabbit-cluster.sh');
const cluster = (...args: string[]): string => execFileSync(script, args, { encoding: 'utf8', timeout: 150_000, stdio: ['ignore', 'pipe', 'pipe'] });
const URLS = [1, 2, 3].map(n => `amqp://guest:guest@127.0.0.1:568${n}`);
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** The node (1, 2 or 3) leading `queue`, asked of a node that is up. */
const leaderOf = (queue: string, ask: number): number => {
  const rows = JSON.parse(cluster('ctl', String(ask), 'list_queues', 'name', 'leader', '--formatter', 'json', '--quiet')) as Array<{ name: string; leader: string }>;
  const leader = rows.find(row => row.name === queue)?.leader ?? '';
  const match = /^tributary-c(\d)@/.exec(leader);
  if (!match) throw new Error(`No leader for ${queue}: ${JSON.stringify(rows)}`);
  return Number(match[1]);
};

describe('RabbitMQ cluster: a quorum queue loses its leader under load', () => {
  const connections: TransportLayerConnection[] = [];

  beforeAll(() => {
    cluster('start');
  }, 180_000);

  afterAll(async () => {
    await Promise.all(connections.map(connection => connection.close().catch(() => undefined)));
    cluster('stop');
  }, 60_000);

  test('no confirmed emit is lost; the service resumes on a survivor', async () => {
    const queue = `cluster-${randomUUID().slice(0, 8)}`;
    const options: AmqpStrategyOptions = { host: URLS[0], hosts: URLS.slice(1), queue, queueType: 'quorum', timeout: 30_000, prefetchCount: 50 };
    const received: number[] = [];
    const started = Date.now();
    let receivedAfterKill = 0;
    let killedAt = 0;
    const service = await createTransportLayer(options).connect({ isConsumer: true });
    connections.push(service);
    const serviceErrors = new Set<string>();
    const serviceStatus: string[] = [];
    service.error$.subscribe(error => serviceErrors.add(`${error.name}: ${error.message}`.slice(0, 200)));
    service.status$.subscribe(status => serviceStatus.push(`${Date.now() - started}:${String(status)}`));
    service.message$.subscribe(message => {
      received.push(JSON.parse((message.data as Buffer).toString('utf8')).payload.n);
      if (killedAt) receivedAfterKill++;
      void service.ackMessage(message);
    });
    const producer = await createTransportLayer({ ...options, host: URLS[1], hosts: [URLS[2], URLS[0]] }).connect({ isConsumer: false });
    connections.push(producer);
    const leader = leaderOf(queue, 1);
    const leaderPid = Number(cluster('pid', String(leader)).trim());

    const acknowledged = new Set<number>();
    let failed = 0;
    const errors = new Set<string>();
    let next = 0;
    const total = 2_000;
    const worker = async (): Promise<void> => {
      while (acknowledged.size < total && Date.now() - started < 90_000) {
        const n = next++;
        try {
          await producer.emitMessage(queue, { data: Buffer.from(JSON.stringify({ type: 'Tick', payload: { n } })), messageId: String(n) });
          acknowledged.add(n);
        } catch (error) {
          errors.add(`${(error as Error).name}: ${(error as Error).message}`.slice(0, 200));
          failed++;
          await sleep(100);
        }
        if (!killedAt && acknowledged.size >= 600) {
          killedAt = Date.now();
          process.kill(leaderPid, 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const emitted = Date.now();
    for (let i = 0; i < 600 && ![...acknowledged].every(n => received.includes(n)); i++) await sleep(100);
    const unique = new Set(received);
    const survivor = [1, 2, 3].find(n => n !== leader)!;
    const result = {
      acknowledged: acknowledged.size,
      failedEmits: failed,
      received: received.length,
      duplicates: received.length - unique.size,
      lost: [...acknowledged].filter(n => !unique.has(n)).length,
      receivedAfterKill,
      killedLeader: `tributary-c${leader}@localhost`,
      newLeader: `tributary-c${leaderOf(queue, survivor)}@localhost`,
      msBeforeKill: killedAt - started,
      msAfterKill: emitted - killedAt,
      receivedAllMs: Date.now() - started,
      emitErrors: [...errors].slice(0, 5),
      serviceErrors: [...serviceErrors].slice(0, 5),
      serviceStatus,
    };
    console.log(`RabbitMQ cluster failover: ${JSON.stringify(result)}`);
    expect(result.acknowledged).toBeGreaterThanOrEqual(total);
    expect(result.lost).toBe(0);
    expect(result.receivedAfterKill).toBeGreaterThan(0);
    expect(result.newLeader).not.toBe(result.killedLeader);
  }, 150_000);
});
