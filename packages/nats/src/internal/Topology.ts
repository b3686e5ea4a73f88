import { AckPolicy, DeliverPolicy, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { NatsTopologyError } from '../errors';
import type { ResolvedNatsOptions } from './resolveOptions';
import { patternSubject, streamName, subscriptionConsumer } from './subjects';

/** One durable pull consumer this service reads. */
export interface ConsumerSpec {
  stream: string;
  name: string;
  filter: string;
  deliver: DeliverPolicy;
}

const isNotFound = (error: unknown): boolean => error instanceof JetStreamApiError && (error.code === 10059 || error.code === 10014 || error.status === 404);

/**
 * The JetStream streams and consumers of a service, created when missing (idempotent, safe
 * to run from several instances at once and again after every reconnection).
 */
export class Topology {
  private readonly streams = new Map<string, Promise<string>>();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly options: ResolvedNatsOptions,
  ) {}

  /** The stream holding what is emitted to `channel` (work-queue retention: kept until acknowledged). */
  serviceStream(channel: string): Promise<string> {
    const named = channel === this.options.channel ? this.options.stream : undefined;
    return this.stream(channel, named, streamName(channel), { subjects: [channel], retention: RetentionPolicy.Workqueue });
  }

  /** The stream keeping the dead letters of this service (limits retention: kept until deleted). */
  deadLetterStream(): Promise<string> | undefined {
    const dl = this.options.deadLetter;
    if (!dl) return undefined;
    return this.stream(dl.subject, dl.stream, `${streamName(this.options.channel)}_dead-letter`, { subjects: [dl.subject], retention: RetentionPolicy.Limits });
  }

  /** The stream behind `publish` (interest retention: kept until every subscribed service acknowledged). */
  eventStream(): Promise<string> {
    const subject = `${this.options.eventPrefix}.>`;
    return this.stream(subject, undefined, this.options.eventStream, { subjects: [subject], retention: RetentionPolicy.Interest });
  }

  /** Forgets what was found, so that the next call checks the server again (after a reconnection or a loss). */
  reset(): void {
    this.streams.clear();
  }

  /** The consumers of a service: its own channel, then one per `subscribe` pattern. */
  async serviceConsumers(): Promise<ConsumerSpec[]> {
    const stream = await this.serviceStream(this.options.channel);
    const durable = this.options.durable ?? stream;
    const specs: ConsumerSpec[] = [{ stream, name: durable, filter: this.options.channel, deliver: DeliverPolicy.All }];
    if (this.options.subscribe.length > 0) {
      const events = await this.eventStream();
      for (const pattern of this.options.subscribe) {
        specs.push({ stream: events, name: subscriptionConsumer(durable, pattern), filter: patternSubject(this.options.eventPrefix, pattern), deliver: DeliverPolicy.New });
      }
    }
    await this.deadLetterStream();
    for (const spec of specs) await this.consumer(spec);
    return specs;
  }

  /** Creates the durable consumer when missing; an existing one keeps its position. */
  async consumer(spec: ConsumerSpec): Promise<void> {
    const config: Partial<ConsumerConfig> = {
      durable_name: spec.name,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.options.ackWait),
      max_deliver: -1,
      max_ack_pending: this.options.maxAckPending,
      filter_subject: spec.filter,
      deliver_policy: spec.deliver,
    };
    try {
      await this.jsm.consumers.info(spec.stream, spec.name);
      return;
    } catch (error) {
      if (!isNotFound(error)) throw new NatsTopologyError(`consumer "${spec.name}" of stream "${spec.stream}"`, error);
    }
    try {
      await this.jsm.consumers.add(spec.stream, config);
    } catch (error) {
      // another instance may have created it a moment ago
      await this.jsm.consumers.info(spec.stream, spec.name).catch(() => {
        throw new NatsTopologyError(`consumer "${spec.name}" of stream "${spec.stream}"`, error);
      });
    }
  }

  private stream(subject: string, named: string | undefined, derived: string, config: Partial<StreamConfig>): Promise<string> {
    let found = this.streams.get(subject);
    if (!found) {
      found = this.ensureStream(subject, named, derived, config);
      this.streams.set(subject, found);
      found.catch(() => this.streams.delete(subject));
    }
    return found;
  }

  private async ensureStream(subject: string, named: string | undefined, derived: string, config: Partial<StreamConfig>): Promise<string> {
    if (named) {
      try {
        return (await this.jsm.streams.info(named)).config.name;
      } catch (error) {
        if (!isNotFound(error)) throw new NatsTopologyError(`stream "${named}"`, error);
      }
    } else {
      try {
        return await this.jsm.streams.find(subject);
      } catch (error) {
        if (!isNotFound(error) && !/no stream matches/.test(String((error as Error)?.message))) throw new NatsTopologyError(`the stream of "${subject}"`, error);
      }
    }
    const name = named ?? derived;
    try {
      await this.jsm.streams.add({
        name,
        storage: this.options.storage === 'memory' ? StorageType.Memory : StorageType.File,
        duplicate_window: nanos(this.options.duplicateWindow),
        ...config,
      });
      return name;
    } catch (error) {
      // created concurrently by another instance or client
      return this.jsm.streams.find(subject).catch(() => {
        throw new NatsTopologyError(`stream "${name}" for "${subject}"`, error);
      });
    }
  }
}
