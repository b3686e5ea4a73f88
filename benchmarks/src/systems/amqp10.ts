import { randomUUID } from 'node:crypto';
import { create_container, message as rheaMessage } from 'rhea';
import type { Connection, Delivery, EventContext, Message, Receiver, Sender } from 'rhea';
import { Transport } from '@tributary/messaging';
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { AMQP10_URL, environment } from '../harness/environment';
import { moleculerService } from './moleculer';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { PendingCalls } from './pendingCalls';
import { tributaryService } from './messagingSystems';
import type { TributaryStarter } from './messagingSystems';
import { tributaryTransportLayer } from './transportLayerOnly';

/** Tributary's default credit: deliveries unsettled per queue. */
const CREDIT = 32;

const connect = async (): Promise<Connection> => {
  const url = new URL(AMQP10_URL);
  const connection = create_container({ id: `bench-${randomUUID()}` }).connect({ host: url.hostname, port: Number(url.port || 5672), reconnect: false });
  connection.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    connection.once('connection_open', () => resolve());
    connection.once('disconnected', (context: EventContext) => reject(context.error ?? new Error(`no AMQP 1.0 broker at ${AMQP10_URL}`)));
  });
  return connection;
};

const closeConnection = (connection: Connection): Promise<void> =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, 2000);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('connection_close', done);
    connection.once('disconnected', done);
    connection.close();
  });

const opened = (link: Sender | Receiver, event: 'sender_open' | 'receiver_open'): Promise<void> => new Promise(resolve => link.once(event, () => resolve()));

/**
 * A sender whose sends resolve once the broker accepted them (settlement `accepted` as the
 * confirmation; rejected, released or modified fail), queued while the link has no credit.
 */
class ConfirmedSender {
  private readonly outcomes = new Map<Delivery, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly backlog: Array<{ message: Message; resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(readonly sender: Sender) {
    sender.on('accepted', (context: EventContext) => this.outcome(context.delivery));
    for (const failure of ['rejected', 'released', 'modified'] as const) sender.on(failure, (context: EventContext) => this.outcome(context.delivery, failure));
    sender.on('sendable', () => this.drain());
  }

  send(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.backlog.length === 0 && this.sender.sendable()) this.outcomes.set(this.sender.send(message), { resolve, reject });
      else this.backlog.push({ message, resolve, reject });
    });
  }

  private drain(): void {
    while (this.backlog.length > 0 && this.sender.sendable()) {
      const { message, resolve, reject } = this.backlog.shift()!;
      this.outcomes.set(this.sender.send(message), { resolve, reject });
    }
  }

  private outcome(delivery: Delivery | undefined, failure?: string): void {
    const waiter = delivery && this.outcomes.get(delivery);
    if (!waiter) return;
    this.outcomes.delete(delivery!);
    if (failure) waiter.reject(new Error(`the broker did not accept the message (${failure})`));
    else waiter.resolve();
  }
}

/**
 * Deletes what a cell made on Artemis (a fresh connection, through its management address):
 * the queues named, and their addresses.
 */
export const deleteArtemisQueues = async (names: readonly string[]): Promise<void> => {
  const connection = await connect();
  try {
    const management = new ConfirmedSender(connection.open_sender({ target: { address: 'activemq.management' } }));
    const replies = connection.open_receiver({ source: { dynamic: true } as never, autoaccept: true });
    const calls = new Map<string, () => void>();
    replies.on('message', (context: EventContext) => calls.get(String(context.message?.correlation_id))?.());
    await opened(replies, 'receiver_open');
    const call = async (operation: string, args: unknown[]): Promise<void> => {
      const id = randomUUID();
      const answered = new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 3000);
        calls.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await management.send({
        message_id: id,
        reply_to: replies.source.address,
        application_properties: { _AMQ_ResourceName: 'broker', _AMQ_OperationName: operation },
        body: JSON.stringify(args),
      });
      await answered;
    };
    for (const name of names) {
      await call('destroyQueue', [name, true, true]);
      await call('deleteAddress', [name, false]);
    }
  } finally {
    await closeConnection(connection);
  }
};

/**
 * Tributary: `createMicroservice` on `Transport.AMQP10` (default options: durable messages, each
 * send confirmed by the broker's `accepted`, deliveries accepted after the effects, credit 32 per
 * queue, RPC over a dynamic reply address) and a `MessagingClient`.
 */
const onAmqp10 =
  (start: TributaryStarter) =>
  (tag: string): Promise<BenchSystem> =>
    start(Transport.AMQP10, { host: AMQP10_URL, channel: tag, timeout: SEND_TIMEOUT }, () => deleteArtemisQueues([tag, `${tag}.dead-letter`]));
export const tributaryAmqp10 = onAmqp10(tributaryService);

/** Tributary's AMQP 1.0 transport layer alone (see `tributaryTransportLayer`). */
export const amqp10Layer = onAmqp10(tributaryTransportLayer);

const jsonMessage = (value: unknown, extra: Record<string, unknown> = {}): Message =>
  ({ body: rheaMessage.data_section(Buffer.from(JSON.stringify(value))), content_type: 'application/json', durable: true, ...extra }) as Message;

const parse = (message: Message): BenchEvent => {
  const body = message.body as { typecode?: number; content?: Buffer } | Buffer | string;
  const bytes = typeof body === 'object' && !Buffer.isBuffer(body) && body.typecode === 0x75 ? body.content! : body;
  return JSON.parse(bytes.toString());
};

/**
 * Raw rhea doing the same job with the same guarantees: durable messages (one data section of
 * JSON) sent on a sender to the anycast queue, each send resolved by the broker's `accepted`;
 * the service's receiver with manual settlement and credit 32, one credit back per delivery
 * accepted after its work (a request: after its reply was accepted by the broker); RPC with a
 * dynamic reply address per client (auto-accepted, credit window 100), replies matched by
 * correlation id. Client and service have a connection each, as Tributary's have.
 */
export const rawAmqp10 = async (tag: string): Promise<BenchSystem> => {
  const counter = new Counter();
  const service = await connect();
  const client = await connect();

  const receiver = service.open_receiver({ source: { address: tag, capabilities: ['queue'] }, credit_window: 0, autoaccept: false });
  const replier = new ConfirmedSender(service.open_sender({ target: {} as never }));
  const done = (delivery: Delivery): void => {
    delivery.accept();
    receiver.add_credit(1);
  };
  receiver.on('message', (context: EventContext) => {
    const delivery = context.delivery!;
    const message = context.message!;
    const event = parse(message);
    if (event.type === 'OrderPlaced') {
      counter.hit();
      done(delivery);
    } else if (event.type === 'Ping' && message.reply_to) {
      replier.send(jsonMessage({ type: 'Pong', payload: event.payload }, { to: message.reply_to, correlation_id: message.correlation_id })).then(
        () => done(delivery),
        () => {
          delivery.release();
          receiver.add_credit(1);
        },
      );
    } else done(delivery);
  });
  await Promise.all([opened(receiver, 'receiver_open'), opened(replier.sender, 'sender_open')]);
  receiver.add_credit(CREDIT);

  const sender = new ConfirmedSender(client.open_sender({ target: { address: tag, capabilities: ['queue'] } }));
  const replies = client.open_receiver({ source: { dynamic: true } as never, credit_window: 100, autoaccept: true });
  const calls = new PendingCalls();
  replies.on('message', (context: EventContext) => calls.answer(String(context.message?.correlation_id), () => parse(context.message!)));
  await Promise.all([opened(sender.sender, 'sender_open'), opened(replies, 'receiver_open')]);
  const replyTo = replies.source.address;
  return {
    emit: { emit: event => sender.send(jsonMessage(event)), processed: counter },
    send: { send: event => calls.call(correlationId => sender.send(jsonMessage(event, { correlation_id: correlationId, reply_to: replyTo }))) },
    close: async () => {
      await closeConnection(client);
      await closeConnection(service);
      await deleteArtemisQueues([tag]);
    },
  };
};

/**
 * Moleculer 0.15 with its AMQP10 transporter (rhea-promise) on the same Artemis: requests and
 * events go through queues the transporter declares (prefetch 32); it settles after the action
 * and sends without waiting for the broker's disposition (no confirm on emit). TCP_NODELAY as every
 * other system here (without it each call waits ~40 ms on delayed ACKs).
 */
export const moleculerAmqp10 = (tag: string): Promise<BenchSystem> => {
  const { hostname, port } = new URL(AMQP10_URL);
  return moleculerService({ type: 'AMQP10', options: { url: `amqp10://guest:guest@${hostname}:${port || 5673}`, prefetch: 32, connectionOptions: { tcp_no_delay: true } } }, tag);
};

const AMQP10_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = { tributary: tributaryAmqp10, raw: rawAmqp10, layer: amqp10Layer, moleculer: moleculerAmqp10 };

/** Why the peers have no AMQP 1.0 cell. */
export const AMQP10_ABSENT = {
  marble: 'Marble.js 4.1 has no AMQP 1.0 transport (its AMQP transport is 0-9-1)',
  nest: 'NestJS 12 microservices have no AMQP 1.0 transport (RMQ is AMQP 0-9-1)',
} as const;

/** The AMQP 1.0 systems, with how many operations each makes per run. */
export const amqp10Systems = (n: { tributary: number; raw: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'Transport.AMQP10', n: n.tributary, unavailable: () => environment.amqp10 ?? environment.tributaryAmqp10 },
  { id: 'raw', side: 'raw', label: 'rhea', n: n.raw, unavailable: () => environment.amqp10 },
  { id: 'layer', side: 'raw', label: "Tributary's transport layer alone", n: n.tributary, unavailable: () => environment.amqp10, breakdown: true },
  { id: 'moleculer', side: 'moleculer', label: 'Moleculer AMQP10', n: n.raw, unavailable: () => environment.amqp10 },
];

/** Starts an AMQP 1.0 system on a fresh queue, runs `fn` on it, closes it and deletes its queues. */
export const withAmqp10System = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = AMQP10_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown AMQP 1.0 system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
