import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import Redis from 'ioredis';
import { connect } from 'mqtt';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { runOrderFlow } from '../src/app';

const SERVICES = ['orders', 'payments', 'inventory', 'notifications'];

/** The same effects on the brokers: only the wiring differs from the in-process run. */
describe('order flow on the brokers', () => {
  it('runs unchanged on RabbitMQ', async () => {
    const prefix = `order-flow-test-${randomUUID().slice(0, 8)}`;
    try {
      const { timeline, accepted } = await runOrderFlow('amqp', false, prefix);
      expect(accepted).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'notification')).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'payment')).toHaveLength(4); // one refund
    } finally {
      const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
      const channel = await connection.createChannel();
      for (const service of SERVICES) {
        const queue = `${prefix}.${service}`;
        for (const name of [queue, `${queue}.dead-letter`, ...[200, 400, 800, 1600].map(d => `${queue}.retry.${d}`)]) {
          await channel.deleteQueue(name);
        }
      }
      await channel.deleteExchange(`${prefix}.events`);
      await connection.close();
    }
  });

  it('runs unchanged on Kafka', async () => {
    const prefix = `order-flow-test-${randomUUID().slice(0, 8)}`;
    const { timeline, accepted } = await runOrderFlow('kafka', false, prefix);
    expect(accepted).toHaveLength(3);
    expect(timeline.entries.filter(e => e.service === 'notification')).toHaveLength(3);
    expect(timeline.entries.filter(e => e.service === 'payment')).toHaveLength(4); // one refund
    expect(timeline.entries.filter(e => e.service === 'inventory')).toHaveLength(2); // not the declined order
  }, 60_000);

  it('runs unchanged on Redis streams', async () => {
    const prefix = `order-flow-test-${randomUUID().slice(0, 8)}`;
    try {
      const { timeline, accepted } = await runOrderFlow('redis', false, prefix);
      expect(accepted).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'notification')).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'inventory')).toHaveLength(2); // not the declined order
    } finally {
      const redis = new Redis({ host: '127.0.0.1', port: 6379 });
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0); // everything the run made is under its prefix
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('runs unchanged on NATS JetStream', async () => {
    const prefix = `order-flow-test-${randomUUID().slice(0, 8)}`;
    try {
      const { timeline, accepted } = await runOrderFlow('nats', false, prefix);
      expect(accepted).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'notification')).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'inventory')).toHaveLength(2); // not the declined order
    } finally {
      const nc = await natsConnect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
      const jsm = await jetstreamManager(nc);
      const streams: string[] = [];
      for await (const name of jsm.streams.names()) if (name.startsWith(prefix)) streams.push(name);
      expect(streams.length).toBeGreaterThan(0); // everything the run made is named after its prefix
      for (const name of streams) await jsm.streams.delete(name);
      await nc.close();
    }
  });

  it('runs unchanged on MQTT (Mosquitto)', async () => {
    const prefix = `order-flow-test-${randomUUID().slice(0, 8)}`;
    try {
      const { timeline, accepted } = await runOrderFlow('mqtt', false, prefix);
      expect(accepted).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'notification')).toHaveLength(3);
      expect(timeline.entries.filter(e => e.service === 'inventory')).toHaveLength(2); // not the declined order
    } finally {
      // end the sessions the run made: each service's, and its dead-letter session
      for (const clientId of SERVICES.flatMap(service => [`${prefix}-${service}-1`, `${prefix}-${service}-dead-letter`])) {
        const client = connect(process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883', { clientId, clean: true, protocolVersion: 5, reconnectPeriod: 0 });
        await new Promise(resolve => client.once('connect', resolve));
        await client.endAsync();
      }
    }
  });
});
