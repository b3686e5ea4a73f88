/**
 * The `tributary` command, spawned as a child process (node packages/cli/dist/bin.js) against
 * the real RabbitMQ, Redis, NATS, Kafka and Mosquitto: list (table and --json), redrive with
 * progress, and the error cases with their exit codes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as connectNats } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import Redis from 'ioredis';
import { AMQP_URL, uniqueQueue } from '../../amqp/test/helpers/broker';
import { useSharedBroker } from '../../amqp/test/helpers/brokerLock';
import { produceDeadLetters as produceAmqp } from '../../amqp/test/helpers/deadLetters';
import { produceDeadLetters as produceRedis } from '../../redis/test/deadLetters';
import { produceDeadLetters as produceNats } from '../../nats/test/helpers/deadLetters';
import { produceDeadLetters as produceKafka } from '../../kafka/test/deadLetters';
import { BROKERS, deleteTopics, ensureKafka, readTopic, uniqueTopic } from '../../kafka/test/helpers';
import { MQTT_URL, readDeadLetters as readMqttDeadLetters, removeSessions, sessionsOf, uniqueChannel } from '../../mqtt/test/helpers/broker';
import { produceDeadLetters as produceMqtt, takeServiceMessages } from '../../mqtt/test/helpers/deadLetters';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const tributary = (...args: string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** Runs the command and SIGKILLs it as soon as it printed its first progress line. */
const killedWhileMoving = (...args: string[]): Promise<Run & { signal: NodeJS.Signals | null }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => {
      stderr += chunk;
      if (stderr.includes('moving:')) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });

/** One line on stderr, no stack trace. */
const expectOneLine = (run: Run): void => {
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
};

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b', 'packages/cli', 'packages/amqp', 'packages/redis', 'packages/nats', 'packages/kafka', 'packages/mqtt'], { cwd: ROOT, stdio: 'inherit', timeout: 240_000 });
}, 250_000);

describe('tributary dead-letters on RabbitMQ', () => {
  const broker = useSharedBroker();
  let queue: string;
  beforeEach(async () => {
    queue = uniqueQueue('cli');
    await broker.admin.channel(async ch => {
      await ch.assertQueue(queue, { durable: true });
      await ch.assertQueue(`${queue}.dead-letter`, { durable: true });
      await produceAmqp(ch, queue, 5);
    });
  });
  afterEach(() => broker.admin.deleteQueues(queue, `${queue}.dead-letter`));

  const amqp = ['--transport', 'amqp', '--host', AMQP_URL, '--queue'];

  it('list prints a table (id, type, reason, error, attempts, age) and leaves the letters in place', async () => {
    const run = await tributary('dead-letters', 'list', ...amqp, queue);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+REASON\s+ERROR\s+ATTEMPTS\s+AGE$/);
    expect(lines[1]).toMatch(/^dl-0\s+OrderCancelled\s+failed\s+TypeError: cannot read properties of undefined\s+3\s+(59|6\d)s$/);
    expect(lines.slice(1, 6).map(line => line.split(/\s+/)[0])).toEqual(['dl-0', 'dl-1', 'dl-2', 'dl-3', 'dl-4']);
    expect(lines[6]).toBe(`5 dead letters: amqp ${queue}.`);
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(5);
  });

  it('list --json prints every field for scripts', async () => {
    const run = await tributary('dead-letters', 'list', ...amqp, queue, '--json', '--limit', '3');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ moved: 0, matched: 3 });
    expect(result.letters[1]).toMatchObject({
      id: 'dl-1',
      messageId: 'dl-1',
      type: 'OrderPlaced',
      reason: 'failed',
      errorName: 'TypeError',
      errorMessage: 'cannot read properties of undefined',
      attempts: 3,
      headers: { tenant: 'acme' },
      source: queue,
      body: { type: 'OrderPlaced', payload: { n: 1 } },
    });
    expect(result.letters[1].ageMs).toBeGreaterThanOrEqual(60_000);
  });

  it('redrive --dry-run lists what would move; redrive --type moves those, with a progress line; then all; then nothing is left', async () => {
    const dry = await tributary('dead-letters', 'redrive', ...amqp, queue, '--type', 'OrderPlaced', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dl-1\s/m);
    expect(dry.stdout).toMatch(/^dl-3\s/m);
    expect(dry.stdout).not.toMatch(/^dl-0\s/m);
    expect(dry.stdout).toContain('2 dead letters, would be moved (dry run)');
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(5);

    const some = await tributary('dead-letters', 'redrive', ...amqp, queue, '--type', 'OrderPlaced');
    expect(some.code).toBe(0);
    expect(some.stderr).toBe('moving: 2 of 2 matched so far (5 read)\n');
    expect(some.stdout).toBe(`Moved 2 of 2 dead letters back to amqp ${queue} type OrderPlaced.\n`);
    expect((await broker.admin.inspect(queue))?.messages).toBe(2);
    expect((await broker.admin.inspect(`${queue}.dead-letter`))?.messages).toBe(3);

    const rest = await tributary('dead-letters', 'redrive', ...amqp, queue, '--json');
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout).letters.map((l: { id: string }) => l.id)).toEqual(['dl-0', 'dl-2', 'dl-4']);
    expect((await broker.admin.inspect(queue))?.messages).toBe(5);

    const empty = await tributary('dead-letters', 'list', ...amqp, queue);
    expect(empty.code).toBe(4);
    expect(empty.stderr).toBe(`No dead letters (amqp ${queue}).\n`);
  });

  it('SIGKILL in the middle of a redrive of 2,000 loses none: every id is in the service queue or still a dead letter', async () => {
    await broker.admin.channel(ch => produceAmqp(ch, queue, 1995, i => `Bulk${i % 3}`, 'bulk-')); // 2,000 with the 5 of beforeEach
    const run = await killedWhileMoving('dead-letters', 'redrive', ...amqp, queue);
    expect(run.signal).toBe('SIGKILL');
    const ids = async (name: string): Promise<string[]> =>
      broker.admin.channel(async ch => {
        const got: string[] = [];
        for (let msg = await ch.get(name, { noAck: true }); msg; msg = await ch.get(name, { noAck: true })) got.push(String(msg.properties.messageId));
        return got;
      });
    // the killed connection's unacknowledged dead letters go back to the dead-letter queue
    const moved = await ids(queue);
    const left = await ids(`${queue}.dead-letter`);
    expect(moved.length).toBeGreaterThanOrEqual(100);
    expect(left.length).toBeGreaterThan(0);
    expect(new Set(moved).size).toBe(moved.length); // each sent once
    const all = new Set([...moved, ...left]);
    expect(all.size).toBe(2000); // none lost
    expect(all).toEqual(new Set([...Array.from({ length: 5 }, (_, i) => `dl-${i}`), ...Array.from({ length: 1995 }, (_, i) => `bulk-${i}`)]));
    process.stdout.write(`amqp SIGKILL: ${moved.length} moved, ${left.length} still dead letters, ${moved.length + left.length - 2000} duplicated\n`);
  });

  it('a queue with no dead-letter queue: exit 5', async () => {
    const run = await tributary('dead-letters', 'list', ...amqp, `${queue}-typo`);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`No dead-letter destination "${queue}-typo.dead-letter" exists`);
    expectOneLine(run);
  });
});

describe('tributary dead-letters on Redis streams', () => {
  const prefix = `test:${randomUUID()}:`;
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    await admin.quit();
  });

  it('lists and redrives 250 dead letters to the service stream, with progress lines', async () => {
    const channel = 'orders';
    await produceRedis(admin, `${prefix}${channel}:dead-letter`, `${prefix}${channel}`, 250);
    const redis = ['--transport', 'redis', '--host', REDIS_URL, '--key-prefix', prefix, '--channel', channel];
    const list = await tributary('dead-letters', 'list', ...redis, '--json', '--limit', '10');
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.letters.map((l: { messageId: string }) => l.messageId)).toEqual(Array.from({ length: 10 }, (_, i) => `dl-${i}`));
    expect(listed.letters[0]).toMatchObject({ type: 'OrderCancelled', reason: 'failed', attempts: 3, headers: { tenant: 'acme' }, source: `${prefix}${channel}` });

    const run = await tributary('dead-letters', 'redrive', ...redis, '--mode', 'streams');
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      'moving: 100 of 100 matched so far (100 read)',
      'moving: 200 of 200 matched so far (200 read)',
      'moving: 250 of 250 matched so far (250 read)',
    ]);
    expect(run.stdout).toBe(`Moved 250 of 250 dead letters back to redis ${channel}.\n`);
    expect(await admin.xlen(`${prefix}${channel}:dead-letter`)).toBe(0);
    const ids = (await admin.xrange(`${prefix}${channel}`, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => `dl-${i}`));

    const empty = await tributary('dead-letters', 'redrive', ...redis, '--mode', 'streams');
    expect(empty.code).toBe(4);
    expect(empty.stderr).toBe(`No dead letters (redis ${channel}).\n`);
  });

  it('SIGKILL in the middle of a redrive of 2,000 loses none: every id is in the service stream or still a dead letter', async () => {
    const channel = 'bulk';
    await produceRedis(admin, `${prefix}${channel}:dead-letter`, `${prefix}${channel}`, 2000);
    const run = await killedWhileMoving('dead-letters', 'redrive', '--transport', 'redis', '--host', REDIS_URL, '--key-prefix', prefix, '--channel', channel, '--mode', 'streams');
    expect(run.signal).toBe('SIGKILL');
    const idsOf = async (key: string): Promise<string[]> => (await admin.xrange(key, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    const moved = await idsOf(`${prefix}${channel}`);
    const left = await idsOf(`${prefix}${channel}:dead-letter`);
    expect(moved.length).toBeGreaterThanOrEqual(100);
    expect(new Set(moved).size).toBe(moved.length);
    expect(new Set([...moved, ...left])).toEqual(new Set(Array.from({ length: 2000 }, (_, i) => `dl-${i}`)));
    process.stdout.write(`redis SIGKILL: ${moved.length} moved, ${left.length} still dead letters, ${moved.length + left.length - 2000} duplicated\n`);
  });
});

describe('tributary dead-letters on NATS JetStream', () => {
  let nc: NatsConnection;
  const channels: string[] = [];
  const channelOf = (name: string): string => {
    const channel = `cli-${name}-${randomUUID().slice(0, 8)}`;
    channels.push(channel);
    return channel;
  };
  beforeAll(async () => {
    nc = await connectNats({ servers: NATS_URL });
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    for (const channel of channels) {
      for (const subject of [channel, `${channel}.dead-letter`]) {
        const stream = await jsm.streams.find(subject).catch(() => undefined);
        if (stream) await jsm.streams.delete(stream).catch(() => undefined);
      }
    }
    await nc.close();
  });

  /** The ids (`x-message-id`, else `Nats-Msg-Id`) in the stream capturing `subject`, oldest first. */
  const idsIn = async (subject: string): Promise<string[]> => {
    const jsm = await jetstreamManager(nc);
    const stream = await jsm.streams.find(subject).catch(() => undefined);
    if (!stream) return [];
    const { state } = await jsm.streams.info(stream);
    const ids: string[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (stored) ids.push(stored.header.has('x-message-id') ? stored.header.get('x-message-id') : stored.header.get('Nats-Msg-Id'));
    }
    return ids;
  };
  const nats = (channel: string): string[] => ['--transport', 'nats', '--host', NATS_URL, '--channel', channel];

  it('lists (table, --json) and redrives 250 dead letters to the service subject, with progress lines; then none is left', async () => {
    const channel = channelOf('orders');
    await produceNats(nc, channel, 250);
    const table = await tributary('dead-letters', 'list', ...nats(channel), '--limit', '3');
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+REASON\s+ERROR\s+ATTEMPTS\s+AGE$/);
    expect(lines[1]).toMatch(/^1\s+OrderCancelled\s+failed\s+TypeError: cannot read properties of undefined\s+3\s+\d+s$/);
    expect(lines[4]).toBe(`3 dead letters (the first 3; --limit shows more): nats ${channel}.`);

    const list = await tributary('dead-letters', 'list', ...nats(channel), '--json', '--limit', '10');
    const listed = JSON.parse(list.stdout);
    expect(listed.letters.map((l: { messageId: string }) => l.messageId)).toEqual(Array.from({ length: 10 }, (_, i) => `dl-${i}`));
    expect(listed.letters[1]).toMatchObject({ id: '2', type: 'OrderPlaced', reason: 'failed', attempts: 3, headers: { tenant: 'acme' }, source: channel, body: { type: 'OrderPlaced', payload: { n: 1 } } });

    const run = await tributary('dead-letters', 'redrive', ...nats(channel));
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      'moving: 100 of 100 matched so far (100 read)',
      'moving: 200 of 200 matched so far (200 read)',
      'moving: 250 of 250 matched so far (250 read)',
    ]);
    expect(run.stdout).toBe(`Moved 250 of 250 dead letters back to nats ${channel}.\n`);
    expect(await idsIn(channel)).toEqual(Array.from({ length: 250 }, (_, i) => `dl-${i}`));
    expect(await idsIn(`${channel}.dead-letter`)).toEqual([]);

    const empty = await tributary('dead-letters', 'redrive', ...nats(channel));
    expect(empty.code).toBe(4);
    expect(empty.stderr).toBe(`No dead letters (nats ${channel}).\n`);
  });

  it('SIGKILL in the middle of a redrive of 2,000 loses none: every id is in the service stream or still a dead letter', async () => {
    const channel = channelOf('bulk');
    await produceNats(nc, channel, 2000);
    const run = await killedWhileMoving('dead-letters', 'redrive', ...nats(channel));
    expect(run.signal).toBe('SIGKILL');
    const moved = await idsIn(channel);
    const left = await idsIn(`${channel}.dead-letter`);
    expect(moved.length).toBeGreaterThanOrEqual(100);
    expect(new Set(moved).size).toBe(moved.length);
    expect(new Set([...moved, ...left])).toEqual(new Set(Array.from({ length: 2000 }, (_, i) => `dl-${i}`)));
    const both = moved.filter(id => left.includes(id)).length;
    // a second run finishes it; what the killed one published but had not deleted is dropped as a duplicate by the server
    const rest = await tributary('dead-letters', 'redrive', ...nats(channel));
    expect(rest.code).toBe(0);
    const after = await idsIn(channel);
    expect(after.sort()).toEqual(Array.from({ length: 2000 }, (_, i) => `dl-${i}`).sort());
    process.stdout.write(`nats SIGKILL: ${moved.length} moved, ${left.length} still dead letters, ${both} in both; after a second redrive: ${after.length} in the service stream\n`);
  });

  it('a channel with no dead-letter stream: exit 5', async () => {
    const missing = await tributary('dead-letters', 'list', ...nats(`cli-typo-${randomUUID().slice(0, 8)}`));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/No dead-letter destination "cli-typo-[0-9a-f]+\.dead-letter" exists at nats:\/\/127\.0\.0\.1:4222/);
    expectOneLine(missing);
  });
});

describe('tributary dead-letters on Kafka', () => {
  const topics: string[] = [];
  const topicOf = (name: string): string => {
    const topic = uniqueTopic(`cli-${name}`);
    topics.push(topic);
    return topic;
  };
  beforeAll(() => ensureKafka(), 120_000);
  afterAll(() => deleteTopics(topics));
  const kafka = (topic: string): string[] => ['--transport', 'kafka', '--host', BROKERS.join(','), '--topic', topic];

  it('lists and redrives 250 dead letters to the service topic, records it in the group <topic>.dead-letter.redrive; a second redrive finds none', async () => {
    const topic = topicOf('orders');
    await produceKafka(topic, 250, { partitions: 3 });
    const list = await tributary('dead-letters', 'list', ...kafka(topic), '--json', '--limit', '5');
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.letters).toHaveLength(5);
    expect(listed.letters[0]).toMatchObject({ type: expect.any(String), reason: 'failed', attempts: 3, headers: { tenant: 'acme' }, source: topic });
    expect(listed.letters[0].id).toMatch(/^[0-2]\/\d+$/);

    const run = await tributary('dead-letters', 'redrive', ...kafka(topic));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Moved 250 of 250 dead letters back to kafka ${topic}.\n`);
    expect(run.stderr.trim().split('\n').pop()).toBe('moving: 250 of 250 matched so far (250 read)');
    const ids = (await readTopic(topic, 250)).map(r => r.headers['tributary.id']);
    expect(ids.sort()).toEqual(Array.from({ length: 250 }, (_, i) => `dl-${i}`).sort());

    const empty = await tributary('dead-letters', 'list', ...kafka(topic));
    expect(empty.code).toBe(4);
    expect(empty.stderr).toBe(`No dead letters (kafka ${topic}).\n`);
  }, 60_000);

  it('SIGKILL in the middle of a redrive of 2,000 loses none: every id is in the service topic or still a dead letter', async () => {
    const topic = topicOf('bulk');
    await produceKafka(topic, 2000, { partitions: 3 });
    const run = await killedWhileMoving('dead-letters', 'redrive', ...kafka(topic));
    expect(run.signal).toBe('SIGKILL');
    const moved = (await readTopic(topic, 2000, 3_000)).map(r => r.headers['tributary.id']);
    // what is still a dead letter: past the group's committed offsets (as `list` shows them)
    const left = JSON.parse((await tributary('dead-letters', 'list', ...kafka(topic), '--json', '--limit', '2000')).stdout).letters.map((l: { messageId: string }) => l.messageId);
    expect(moved.length).toBeGreaterThanOrEqual(100);
    expect(new Set(moved).size).toBe(moved.length); // each sent once
    expect(new Set([...moved, ...left])).toEqual(new Set(Array.from({ length: 2000 }, (_, i) => `dl-${i}`)));
    const both = moved.filter(id => left.includes(id)).length;
    process.stdout.write(`kafka SIGKILL: ${moved.length} moved, ${left.length} still dead letters, ${both} in both (resent by the next redrive)\n`);
  }, 60_000);

  it('a topic with no dead-letter topic: exit 5', async () => {
    const missing = await tributary('dead-letters', 'list', ...kafka(topicOf('typo')));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('.dead-letter" exists at kafka://');
    expectOneLine(missing);
  }, 30_000);
});

describe('tributary dead-letters on MQTT', () => {
  const channels: string[] = [];
  const channelOf = (name: string): string => {
    const channel = uniqueChannel(`cli-${name}`);
    channels.push(channel);
    return channel;
  };
  afterAll(() => removeSessions(channels.flatMap(channel => sessionsOf(channel))));
  const mqtt = (channel: string): string[] => ['--transport', 'mqtt', '--host', MQTT_URL, '--channel', channel];
  const ids = (packets: Array<{ properties?: { userProperties?: Record<string, string | string[]> } }>): string[] =>
    packets.map(packet => String(packet.properties?.userProperties?.['x-message-id']));

  it('lists and redrives 250 dead letters to the service topic, with progress lines; then none is left', async () => {
    const channel = channelOf('orders');
    await produceMqtt(channel, 250);
    const list = await tributary('dead-letters', 'list', ...mqtt(channel), '--json', '--limit', '10');
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.letters.map((l: { id: string }) => l.id)).toEqual(Array.from({ length: 10 }, (_, i) => `dl-${i}`));
    expect(listed.letters[0]).toMatchObject({ type: 'OrderCancelled', reason: 'failed', attempts: 3, headers: { tenant: 'acme' }, source: channel });

    const taker = await takeServiceMessages(channel);
    try {
      const run = await tributary('dead-letters', 'redrive', ...mqtt(channel));
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`Moved 250 of 250 dead letters back to mqtt ${channel}.\n`);
      expect(run.stderr.trim().split('\n').pop()).toBe('moving: 250 of 250 matched so far (250 read)');
      await new Promise(resolve => setTimeout(resolve, 300));
      expect(ids(taker.packets)).toEqual(Array.from({ length: 250 }, (_, i) => `dl-${i}`));
    } finally {
      await taker.close();
    }
    const empty = await tributary('dead-letters', 'list', ...mqtt(channel));
    expect(empty.code).toBe(4);
    expect(empty.stderr).toBe(`No dead letters (mqtt ${channel}).\n`);
  });

  it('SIGKILL in the middle of a redrive of 1,000 loses none: every id reached the service topic or is still in the dead-letter session', async () => {
    const channel = channelOf('bulk');
    await produceMqtt(channel, 1000);
    const taker = await takeServiceMessages(channel);
    let moved: string[];
    try {
      const run = await killedWhileMoving('dead-letters', 'redrive', ...mqtt(channel));
      expect(run.signal).toBe('SIGKILL');
      await new Promise(resolve => setTimeout(resolve, 300));
      moved = ids(taker.packets);
    } finally {
      await taker.close();
    }
    // the killed store's marker is still in the session too (the next store drops it): not a dead letter
    const letters = await readMqttDeadLetters(channel, 300, true);
    expect(letters.filter(letter => letter.properties['x-redrive-marker'] !== undefined)).toHaveLength(1);
    const left = letters.filter(letter => letter.properties['x-redrive-marker'] === undefined).map(letter => letter.properties['x-message-id']);
    expect(moved.length).toBeGreaterThanOrEqual(100);
    expect(new Set(moved).size).toBe(moved.length);
    expect(new Set([...moved, ...left])).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `dl-${i}`)));
    process.stdout.write(`mqtt SIGKILL: ${moved.length} moved, ${left.length} still dead letters, ${moved.filter(id => left.includes(id)).length} in both\n`);
  });

  it('a channel whose dead-letter session never existed: exit 5', async () => {
    const missing = await tributary('dead-letters', 'list', ...mqtt(channelOf('typo')));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('/dead-letter (session ');
    expectOneLine(missing);
  });
});

describe('tributary: bad input', () => {
  it('unknown transport: exit 2', async () => {
    const run = await tributary('dead-letters', 'list', '--transport', 'kafkaa', '--queue', 'orders');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('tributary: Unknown transport "kafkaa": use --transport amqp, redis, nats, kafka, mqtt or local.\n');
  });

  it('unknown option or missing queue: exit 2', async () => {
    const option = await tributary('dead-letters', 'list', '--transport', 'amqp', '--queue', 'orders', '--colour');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^tributary: Unknown option '--colour'/);
    expectOneLine(option);
    const queue = await tributary('dead-letters', 'redrive', '--transport', 'amqp');
    expect(queue.code).toBe(2);
    expect(queue.stderr).toContain('--queue is required with --transport amqp');
  });

  it.each([
    ['amqp', ['--queue', 'orders'], 'amqp://127.0.0.1:1'],
    ['redis', ['--channel', 'orders'], 'redis://127.0.0.1:1'],
    ['nats', ['--channel', 'orders'], 'nats://127.0.0.1:1'],
    ['kafka', ['--topic', 'orders'], 'kafka://127.0.0.1:1'],
    ['mqtt', ['--channel', 'orders'], 'mqtt://127.0.0.1:1'],
  ])('unreachable broker (%s on 127.0.0.1:1): exit 3 within the timeout', async (transport, name, host) => {
    const started = Date.now();
    const run = await tributary('dead-letters', 'list', '--transport', transport, '--host', '127.0.0.1:1', ...name, '--timeout', '1500');
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `tributary: Cannot reach the broker at ${host} within 1500 ms: is it running, and are --host and the credentials right? (--timeout waits longer)\n`,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('--help prints the usage and the exit codes', async () => {
    const run = await tributary('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tributary dead-letters list|redrive');
    expect(run.stdout).toContain('3 broker unreachable, 4 no dead letters');
  });
});
