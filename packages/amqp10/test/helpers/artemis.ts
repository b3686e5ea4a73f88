/**
 * Test helpers around the Artemis broker of scripts/services/artemis.sh (AMQP 1.0 on
 * 127.0.0.1:5673): unique names, bounded waits, and `ArtemisAdmin`, a plain rhea connection
 * that plays the foreign producer, reads queues and deletes what a test made (through the
 * broker's management address).
 */
import { randomUUID } from 'node:crypto';
import { create_container, message as rheaMessage } from 'rhea';
import type { Connection, Delivery, EventContext, Message, Receiver, Sender, Source } from 'rhea';

export const ARTEMIS_URL = process.env.ARTEMIS_URL ?? 'amqp://127.0.0.1:5673';
export const ARTEMIS_PORT = Number(new URL(ARTEMIS_URL).port || 5672);

/** A channel name no other test uses. */
export const uniqueChannel = (label: string): string => `test-amqp10-${label}-${randomUUID().slice(0, 8)}`;

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

export interface TakenMessage {
  message: Message;
  body: Buffer;
  properties: Record<string, unknown>;
}

const bodyOf = (body: unknown): Buffer => {
  if (body && typeof body === 'object' && (body as { typecode?: number }).typecode === 0x75) return Buffer.from((body as { content: Buffer }).content);
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? null));
};

/** A plain rhea connection to look at and clean the broker from outside the code under test. */
export class ArtemisAdmin {
  private connection!: Connection;
  private sender!: Sender;
  private management!: Sender;
  private replies!: Receiver;
  private replyTo = '';
  private readonly calls = new Map<string, (message: Message) => void>();
  private readonly outcomes = new Map<Delivery, { resolve: () => void; reject: (e: Error) => void }>();

  async open(): Promise<this> {
    const url = new URL(ARTEMIS_URL);
    this.connection = create_container({ id: `admin-${randomUUID()}` }).connect({ host: url.hostname, port: Number(url.port), reconnect: false });
    this.connection.on('error', () => undefined);
    this.connection.on('receiver_error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      this.connection.once('connection_open', () => resolve());
      this.connection.once('disconnected', (context: EventContext) => reject(context.error ?? new Error('admin connection failed')));
    });
    this.sender = this.connection.open_sender({ target: {} });
    this.management = this.connection.open_sender({ target: { address: 'activemq.management' } });
    for (const sender of [this.sender, this.management]) {
      sender.on('accepted', (context: EventContext) => this.outcome(context.delivery, undefined));
      sender.on('rejected', (context: EventContext) => this.outcome(context.delivery, 'rejected'));
      sender.on('released', (context: EventContext) => this.outcome(context.delivery, 'released'));
    }
    this.replies = this.connection.open_receiver({ source: { dynamic: true } as unknown as Source });
    this.replies.on('message', (context: EventContext) => this.calls.get(String(context.message?.correlation_id))?.(context.message!));
    await new Promise<void>(resolve => this.replies.once('receiver_open', () => resolve()));
    this.replyTo = this.replies.source.address;
    return this;
  }

  /** Sends `body` (one data section) to the queue `address`, as a foreign producer would; resolves once accepted. */
  send(address: string, body: Buffer | string, extra: Record<string, unknown> = {}): Promise<void> {
    const data = rheaMessage.data_section(Buffer.isBuffer(body) ? body : Buffer.from(body));
    return this.transfer(this.sender, { to: address, body: data, message_annotations: { 'x-opt-jms-dest': 0 }, ...extra });
  }

  /** Sends a message as it is (`to` is the address), as a foreign producer would; resolves once accepted. */
  sendRaw(message: Record<string, unknown>): Promise<void> {
    return this.transfer(this.sender, message);
  }

  /** Takes (accepts) every message now in `queue`, waiting `idle` ms for each next one. */
  async take(queue: string, idle = 300): Promise<TakenMessage[]> {
    const receiver = this.connection.open_receiver({ source: { address: queue, capabilities: ['queue'] }, credit_window: 0, autoaccept: true });
    const taken: TakenMessage[] = [];
    let last = Date.now();
    receiver.on('message', (context: EventContext) => {
      const message = context.message!;
      taken.push({ message, body: bodyOf(message.body), properties: message.application_properties ?? {} });
      last = Date.now();
    });
    await new Promise<void>(resolve => receiver.once('receiver_open', () => resolve()));
    receiver.add_credit(1000);
    last = Date.now();
    while (Date.now() - last < idle) await wait(50);
    receiver.close();
    return taken;
  }

  /** Reads every message now in `queue` without taking it (a browsing receiver: distribution mode `copy`). */
  async browse(queue: string, idle = 150): Promise<TakenMessage[]> {
    const receiver = this.connection.open_receiver({
      source: { address: queue, capabilities: ['queue'], distribution_mode: 'copy' } as unknown as Source,
      credit_window: 0,
      autoaccept: true,
    });
    const seen: TakenMessage[] = [];
    let last = Date.now();
    receiver.on('message', (context: EventContext) => {
      const message = context.message!;
      seen.push({ message, body: bodyOf(message.body), properties: message.application_properties ?? {} });
      last = Date.now();
    });
    await new Promise<void>(resolve => receiver.once('receiver_open', () => resolve()));
    receiver.add_credit(1000);
    last = Date.now();
    while (Date.now() - last < idle) await wait(25);
    receiver.close();
    return seen;
  }

  /** The names of every queue on the broker. */
  async queueNames(): Promise<string[]> {
    const reply = await this.call('broker', 'getQueueNames', []);
    const names = JSON.parse(String(reply.body));
    return Array.isArray(names[0]) ? names[0] : names;
  }

  /** Deletes a queue (and its consumers), if it exists. */
  async destroyQueue(name: string): Promise<void> {
    await this.call('broker', 'destroyQueue', [name, true, true]).catch(() => undefined);
  }

  /**
   * Deletes what a test made for `channel`: every queue whose name starts with it (its queue,
   * dead letters, subscription queues `<channel>.event.<pattern>`), the addresses named after
   * it, and the subscription addresses `event.<pattern>` left without a queue.
   */
  async destroyQueues(channel: string): Promise<void> {
    const subscriptions = new Set<string>();
    for (const name of await this.queueNames()) {
      if (!name.startsWith(channel)) continue;
      await this.destroyQueue(name);
      if (name.startsWith(`${channel}.event.`)) subscriptions.add(name.slice(channel.length + 1));
    }
    for (const name of await this.addressNames()) {
      // not forced: an address another test's queue still uses stays
      if (name.startsWith(channel) || subscriptions.has(name)) await this.deleteAddress(name);
    }
  }

  /** Deletes an address that has no queue left (publish addresses nobody subscribed to exactly). */
  async deleteAddress(name: string): Promise<void> {
    await this.call('broker', 'deleteAddress', [name, false]).catch(() => undefined);
  }

  /** The names of every address on the broker. */
  async addressNames(): Promise<string[]> {
    const reply = await this.call('broker', 'getAddressNames', []);
    const names = JSON.parse(String(reply.body));
    return Array.isArray(names[0]) ? names[0] : names;
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>(resolve => {
      this.connection.once('connection_close', () => resolve());
      this.connection.once('disconnected', () => resolve());
      this.connection.close();
      timer = setTimeout(resolve, 2000);
    });
    clearTimeout(timer);
  }

  private async call(resource: string, operation: string, args: unknown[]): Promise<Message> {
    const id = randomUUID();
    const reply = new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`management ${operation} timed out`)), 5000);
      this.calls.set(id, message => {
        clearTimeout(timer);
        this.calls.delete(id);
        if (message.application_properties?._AMQ_OperationSucceeded === false) reject(new Error(`management ${operation} failed: ${String(message.body)}`));
        else resolve(message);
      });
    });
    await this.transfer(this.management, {
      message_id: id,
      reply_to: this.replyTo,
      application_properties: { _AMQ_ResourceName: resource, _AMQ_OperationName: operation },
      body: JSON.stringify(args),
    });
    return reply;
  }

  private async transfer(sender: Sender, message: Record<string, unknown>): Promise<void> {
    if (!sender.sendable()) await new Promise<void>(resolve => sender.once('sendable', () => resolve()));
    await new Promise<void>((resolve, reject) => this.outcomes.set(sender.send(message as never), { resolve, reject }));
  }

  private outcome(delivery: Delivery | undefined, failure: string | undefined): void {
    const waiter = delivery && this.outcomes.get(delivery);
    if (!waiter) return;
    this.outcomes.delete(delivery!);
    if (failure) waiter.reject(new Error(`Artemis: ${failure}`));
    else waiter.resolve();
  }
}
