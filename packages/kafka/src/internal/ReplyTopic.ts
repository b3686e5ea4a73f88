import { randomUUID } from 'node:crypto';
import { PendingReplies } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import { settleWithin } from './Clients';
import type { Clients } from './Clients';
import { GroupReader, KafkaRaw } from './GroupReader';
import type { ResolvedKafkaOptions } from './resolveOptions';

/**
 * Where the replies to one connection's `send`s arrive: its own topic
 * (`tributary.reply.<uuid>`, one partition), read by its own group from the beginning, created
 * on the first call and deleted on close. Each call's reply address is `<topic>#<call id>`;
 * the replier produces to `<topic>` with that address in `tributary.reply-to`.
 */
export class ReplyTopic {
  readonly topic = `tributary.reply.${randomUUID()}`;
  readonly pending: PendingReplies;
  private reader?: GroupReader;
  private ready?: Promise<void>;
  private calls = 0;

  constructor(
    private readonly clients: Clients,
    private readonly options: ResolvedKafkaOptions,
    private readonly report: (error: Error) => void,
  ) {
    this.pending = new PendingReplies(options.topic);
  }

  /** Creates the topic and joins its group, once. */
  open(): Promise<void> {
    this.ready ??= (async () => {
      await this.clients.ensureTopic(this.topic, 1);
      const reader = new GroupReader(this.clients, { ...this.options, maxInFlightPerPartition: 1024 }, {
        groupId: this.topic,
        topics: [this.topic],
        startFrom: 'earliest',
        deliver: message => this.receive(message),
        report: this.report,
        status: () => undefined,
      });
      this.reader = reader;
      await reader.start();
      reader.flow();
    })();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  /** Registers a call: its reply address, and the reply (or `TimeoutError` after `timeout` ms). */
  register(eventType: string | undefined, timeout: number, channel: string): { replyTo: string; callId: string; reply: Promise<TransportMessage> } {
    const callId = String(++this.calls);
    return { replyTo: `${this.topic}#${callId}`, callId, reply: this.pending.register(callId, eventType, timeout, channel) };
  }

  private receive(message: TransportMessage): void {
    const raw = message.raw as KafkaRaw;
    raw.reader.settle(raw);
    const replyTo = message.replyTo;
    const callId = replyTo?.startsWith(`${this.topic}#`) ? replyTo.slice(this.topic.length + 1) : undefined;
    this.pending.resolve(callId, message);
  }

  async close(): Promise<void> {
    this.pending.rejectAll();
    const reader = this.reader;
    this.reader = undefined;
    if (!reader) return;
    await reader.close();
    await settleWithin(this.clients.deleteTopic(this.topic));
    await settleWithin(this.clients.getAdmin().deleteGroups({ groups: [this.topic] }));
  }
}
