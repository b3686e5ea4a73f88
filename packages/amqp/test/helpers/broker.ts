/**
 * Test helpers around the real RabbitMQ on 127.0.0.1:5672: unique names, an admin
 * connection to look at queues, clean-up, bounded waits, and a broker outage that always
 * ends (`withBrokerStopped`).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import * as amqp from 'amqplib';
import { amqpTopology } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A queue name no other test uses. */
export const uniqueQueue = (label: string): string => `test.amqp.${label}.${randomUUID().slice(0, 8)}`;

export const wait = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `check` until it holds, for `timeout` ms at most. */
export const eventually = async (check: () => boolean | Promise<boolean>, timeout = 5000, every = 20): Promise<void> => {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
    await wait(every);
  }
};

/** A plain amqplib connection to look at the broker from outside the code under test. */
export class Admin {
  private constructor(readonly connection: amqp.ChannelModel) {}

  static async open(): Promise<Admin> {
    const connection = await amqp.connect(AMQP_URL);
    connection.on('error', () => undefined);
    return new Admin(connection);
  }

  /** Runs `fn` on a fresh channel (a failed check kills a channel, never the admin). */
  async channel<T>(fn: (channel: amqp.ConfirmChannel) => Promise<T>): Promise<T> {
    const channel = await this.connection.createConfirmChannel();
    channel.on('error', () => undefined);
    try {
      return await fn(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Ready messages and consumers of a queue; undefined when it does not exist. */
  async inspect(queue: string): Promise<{ messages: number; consumers: number } | undefined> {
    return this.channel(async ch => {
      const ok = await ch.checkQueue(queue);
      return { messages: ok.messageCount, consumers: ok.consumerCount };
    }).catch(() => undefined);
  }

  /** Takes one message off a queue (acked), or undefined. */
  async get(queue: string): Promise<amqp.GetMessage | undefined> {
    return this.channel(async ch => {
      const msg = await ch.get(queue, { noAck: true });
      return msg || undefined;
    });
  }

  /** Publishes raw bytes to a queue (as another client would), confirmed. */
  async sendRaw(queue: string, content: Buffer | string, options: amqp.Options.Publish = {}): Promise<void> {
    await this.channel(async ch => {
      ch.sendToQueue(queue, Buffer.isBuffer(content) ? content : Buffer.from(content), options);
      await ch.waitForConfirms();
    });
  }

  async deleteQueues(...queues: string[]): Promise<void> {
    for (const queue of queues) await this.channel(ch => ch.deleteQueue(queue)).catch(() => undefined);
  }

  /** Deletes everything a service with these options declared. */
  async deleteTopology(...options: AmqpStrategyOptions[]): Promise<void> {
    for (const o of options) {
      const t = amqpTopology(o);
      await this.deleteQueues(t.queue, ...(t.deadLetter === false ? [] : [t.deadLetter]), ...t.retryQueues, t.bindingNotes);
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

const run = promisify(execFile);

export const rabbitmqctl = async (...args: string[]): Promise<string> => (await run('rabbitmqctl', args, { timeout: 60_000 })).stdout;

/** Waits until the broker accepts AMQP connections again (bounded). */
export const awaitBroker = async (timeout = 60_000): Promise<void> => {
  await eventually(
    async () => {
      try {
        const connection = await amqp.connect(AMQP_URL);
        await connection.close();
        return true;
      } catch {
        return false;
      }
    },
    timeout,
    200,
  );
};

/**
 * Stops the RabbitMQ application (`rabbitmqctl stop_app`), runs `during`, and ALWAYS starts
 * it again (`start_app`, in `finally`) and waits for it to accept connections.
 */
export const withBrokerStopped = async <T>(during: () => Promise<T>): Promise<T> => {
  try {
    await rabbitmqctl('stop_app');
    return await during();
  } finally {
    await rabbitmqctl('start_app').catch(() => undefined);
    await awaitBroker();
  }
};

/** Closes the broker connections named `name` (client_properties.connection_name) from the broker side. */
export const closeConnectionsNamed = async (name: string): Promise<number> => {
  const out = await rabbitmqctl('list_connections', 'pid', 'client_properties', '--no-table-headers', '-q');
  const pids = out
    .split('\n')
    .filter(line => line.includes(`"${name}"`) || line.includes(`<<"${name}">>`))
    .map(line => line.trim().split(/\s+/)[0])
    .filter(Boolean);
  for (const pid of pids) await rabbitmqctl('close_connection', pid, 'test: connection killed');
  return pids.length;
};
