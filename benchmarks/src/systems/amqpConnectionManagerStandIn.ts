/**
 * A minimal stand-in for `amqp-connection-manager`, which Marble.js 4.1.0's AMQP strategy
 * requires and which is not installed in this workspace. It is the one the amqp package's
 * Marble.js interop test uses (packages/amqp/test/helpers): one amqplib connection, one
 * confirm channel per `createChannel`, setup functions run on it, no reconnection. The
 * Marble.js strategy itself runs unchanged. The real package does more work per call, so
 * Marble.js figures measured with this stand-in flatter Marble.js, if anything.
 */
import { EventEmitter } from 'node:events';
import * as amqp from 'amqplib';

type Setup = (channel: amqp.ConfirmChannel) => Promise<unknown>;

class ChannelWrapper extends EventEmitter {
  private channel?: amqp.ConfirmChannel;
  private readonly setups: Setup[] = [];
  private readonly ready: Promise<void>;

  constructor(connection: Promise<amqp.ChannelModel>, setup?: Setup) {
    super();
    if (setup) this.setups.push(setup);
    this.ready = connection.then(async c => {
      const channel = await c.createConfirmChannel();
      channel.on('error', error => this.emit('error', error));
      channel.on('close', () => this.emit('close'));
      for (const run of this.setups) await run(channel);
      this.channel = channel;
      this.emit('connect');
    });
  }

  waitForConnect(): Promise<void> {
    return this.ready;
  }

  async addSetup(setup: Setup): Promise<void> {
    this.setups.push(setup);
    await this.ready;
    await setup(this.channel!);
  }

  async removeSetup(setup: Setup, teardown?: Setup): Promise<void> {
    const i = this.setups.indexOf(setup);
    if (i >= 0) this.setups.splice(i, 1);
    await this.ready;
    if (teardown) await teardown(this.channel!);
  }

  async sendToQueue(queue: string, content: Buffer, options?: amqp.Options.Publish): Promise<void> {
    await this.ready;
    await new Promise<void>((resolve, reject) => this.channel!.sendToQueue(queue, content, options, error => (error ? reject(error) : resolve())));
  }

  ack(message: amqp.Message, allUpTo?: boolean): void {
    this.channel!.ack(message, allUpTo);
  }

  nack(message: amqp.Message, allUpTo?: boolean, requeue?: boolean): void {
    this.channel!.nack(message, allUpTo, requeue);
  }

  async close(): Promise<void> {
    await this.channel?.close().catch(() => undefined);
  }
}

export const connect = (urls: string[]) => {
  const manager = new EventEmitter();
  const connection = amqp.connect(urls[0]);
  connection.then(
    c => {
      c.on('error', () => undefined);
      c.on('close', () => manager.emit('disconnect', {}));
      manager.emit('connect', { connection: c, url: urls[0] });
    },
    error => manager.emit('disconnect', { err: error }),
  );
  return Object.assign(manager, {
    createChannel: (options: { setup?: Setup } = {}) => new ChannelWrapper(connection, options.setup),
    close: async () => (await connection).close().catch(() => undefined),
  });
};

export default { connect };

/** Makes `require('amqp-connection-manager')` load this stand-in when the package is not installed. */
export const useStandInIfMissing = (): boolean => {
  try {
    require.resolve('amqp-connection-manager');
    return false;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request: string, ...rest: unknown[]) {
      return request === 'amqp-connection-manager' ? __filename : resolve.call(this, request, ...rest);
    };
    return true;
  }
};
