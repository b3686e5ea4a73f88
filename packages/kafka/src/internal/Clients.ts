import { BrokerUnavailableError } from '@tributary/messaging/transport';
import type { ResolvedKafkaOptions } from './resolveOptions';
import { asError, hasKafkaError, kafkaClient } from './client';
import type { Kafka } from './client';

/** A record to produce. */
export interface OutgoingRecord {
  topic: string;
  /** An explicit partition (default: by key, or spread). */
  partition?: number;
  key?: string;
  value: Buffer;
  headers: Record<string, string>;
}

type Producer = Kafka.Producer<string, Buffer, string, string>;

/** How long each step of `close` may wait for the broker (it may be down). */
export const CLOSE_WAIT = 5_000;

/** Waits for `work` to settle, `ms` at most; never rejects (closing must not hang or throw). */
export const settleWithin = async (work: Promise<unknown> | undefined, ms = CLOSE_WAIT): Promise<void> => {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>(resolve => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

/** Runs `work`, failing with `BrokerUnavailableError` when it takes longer than `timeout`. */
export const within = <T>(work: Promise<T>, timeout: number, address: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerUnavailableError(address, timeout)), timeout);
  });
  return Promise.race([work.catch(error => Promise.reject(asError(error))), deadline]).finally(() => clearTimeout(timer));
};

/**
 * The producer and admin client of one connection (created on first use), and the topics it
 * knows exist (created when missing, since brokers often refuse to create them on first use).
 */
export class Clients {
  private producer?: Producer;
  private admin?: Kafka.Admin;
  private readonly topics = new Map<string, Promise<void>>();
  private probing = false;
  private closed = false;

  constructor(
    private readonly options: ResolvedKafkaOptions,
    /** Told when a broker connection is lost (`false`) and when the cluster answers again (`true`). */
    private readonly onStatus: (connected: boolean) => void = () => undefined,
  ) {}

  /** Connects the producer (so that a lost broker is noticed even before the first send), within `timeout`. */
  async connect(): Promise<void> {
    this.getProducer();
    await within(this.getAdmin().metadata({ topics: [] }), this.options.timeout, this.options.address);
  }

  /** Follows a client's broker connections: a loss is reported at once, the return once the cluster answers. */
  private watch<C extends { on(event: string, listener: (...args: any[]) => void): unknown }>(client: C): C {
    client.on('client:broker:disconnect', () => this.lost());
    client.on('client:broker:failed', () => this.lost());
    return client;
  }

  private lost(): void {
    if (this.closed) return;
    this.onStatus(false);
    if (this.probing) return;
    this.probing = true;
    const probe = (): void => {
      if (this.closed) return;
      // the client retries until the broker answers (retries: true)
      this.getAdmin()
        .metadata({ topics: [], forceUpdate: true } as any)
        .then(
          () => {
            this.probing = false;
            if (!this.closed) this.onStatus(true);
          },
          () => {
            if (!this.closed) setTimeout(probe, 1_000).unref();
            else this.probing = false;
          },
        );
    };
    setTimeout(probe, 250).unref();
  }

  /** Options shared by every client of this connection. */
  base(suffix: string): Record<string, unknown> {
    return {
      clientId: `${this.options.clientId}-${suffix}`,
      bootstrapBrokers: this.options.brokers,
      // reconnect for as long as it takes; calls are bounded by `timeout` here
      retries: true,
      retryDelay: 500,
      connectTimeout: 5_000,
      ...this.options.connection,
    };
  }

  private getProducer(): Producer {
    const { Producer, stringSerializers, ProduceAcks } = kafkaClient();
    this.producer ??= this.watch(new Producer({
      ...(this.base('producer') as object),
      idempotent: this.options.idempotent,
      acks: ProduceAcks.ALL,
      serializers: { key: stringSerializers.key, headerKey: stringSerializers.headerKey, headerValue: stringSerializers.headerValue },
    } as any) as Producer);
    return this.producer;
  }

  getAdmin(): Kafka.Admin {
    const { Admin } = kafkaClient();
    this.admin ??= this.watch(new Admin(this.base('admin') as any));
    return this.admin;
  }

  /** Creates `topic` with `partitions` when missing (once per connection). */
  ensureTopic(topic: string, partitions = this.options.partitions): Promise<void> {
    let ready = this.topics.get(topic);
    if (!ready) {
      ready = this.getAdmin()
        .createTopics({ topics: [topic], partitions, replicas: this.options.replicationFactor })
        .then(
          () => undefined,
          error => {
            if (hasKafkaError(error, 'TOPIC_ALREADY_EXISTS')) return;
            throw asError(error);
          },
        );
      this.topics.set(topic, ready);
      ready.catch(() => this.topics.delete(topic));
    }
    return ready;
  }

  /** Produces records (acks=all), creating their topics first; bounded by `timeout`. */
  async produce(records: OutgoingRecord[], timeout = this.options.timeout): Promise<void> {
    const work = (async () => {
      await Promise.all([...new Set(records.map(r => r.topic))].map(topic => this.ensureTopic(topic)));
      await this.getProducer().send({ messages: records.map(r => ({ topic: r.topic, partition: r.partition, key: r.key, value: r.value, headers: r.headers })) } as any);
    })();
    await within(work, timeout, this.options.address);
  }

  /** How many partitions `topic` has (created when missing). */
  async partitionsOf(topic: string): Promise<number> {
    await this.ensureTopic(topic);
    const metadata = await this.getAdmin().metadata({ topics: [topic] });
    return metadata.topics.get(topic)?.partitionsCount ?? 1;
  }

  /** Topic names on the cluster. */
  listTopics(): Promise<string[]> {
    return this.getAdmin().listTopics({ includeInternals: false } as any);
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.getAdmin().deleteTopics({ topics: [topic] });
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing: Array<Promise<unknown>> = [];
    if (this.producer) closing.push(this.producer.close(true as any));
    if (this.admin) closing.push(this.admin.close());
    this.producer = undefined;
    this.admin = undefined;
    await settleWithin(Promise.allSettled(closing));
  }
}
