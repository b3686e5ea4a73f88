import type { DeadLetterInfo, TransportMessage } from '@tributary/messaging/transport';
import type { Clients, OutgoingRecord } from './Clients';
import { asError } from './client';
import type { KafkaRaw } from './GroupReader';
import { DEAD_LETTER_HEADER, toBytes } from './wire';

/**
 * A service's dead-letter topic, `<topic>.dead-letter`: the original key, value and headers
 * plus why and where from. Produced one at a time (dead letters keep the order in which they
 * were decided) to the partition with the number of the original's (modulo), so the dead
 * letters of one partition keep their order; retried for a while when the broker is away.
 */
export class DeadLetters {
  readonly topic: string;
  private partitions?: Promise<number>;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clients: Clients,
    serviceTopic: string,
    private readonly report: (error: Error) => void,
    private readonly closing: () => boolean,
  ) {
    this.topic = `${serviceTopic}.dead-letter`;
  }

  /** The dead-letter record of a message. */
  record(message: TransportMessage, info: DeadLetterInfo): OutgoingRecord {
    const raw = message.raw as KafkaRaw | undefined;
    const headers: Record<string, string> = { ...(raw?.headers ?? {}) };
    const set = (name: string, value: unknown): void => {
      if (value !== undefined && value !== null) headers[name] = String(value);
    };
    set(DEAD_LETTER_HEADER.reason, info.reason);
    set(DEAD_LETTER_HEADER.errorName, info.error?.name);
    set(DEAD_LETTER_HEADER.errorMessage, info.error?.message);
    set(DEAD_LETTER_HEADER.attempts, info.attempts);
    set(DEAD_LETTER_HEADER.originalTopic, raw?.topic);
    set(DEAD_LETTER_HEADER.originalPartition, raw?.partition);
    set(DEAD_LETTER_HEADER.originalOffset, raw?.offset);
    return { topic: this.topic, key: raw?.key ?? message.key, value: raw?.value ?? toBytes(message.data), headers };
  }

  /** Produces the dead letter of `message`; resolves once the broker has it. */
  send(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const record = this.record(message, info);
    const original = (message.raw as KafkaRaw | undefined)?.partition;
    const produced = this.last.then(() => this.produce(record, original));
    this.last = produced.catch(() => undefined);
    return produced;
  }

  private async produce(record: OutgoingRecord, original: number | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.partitions ??= this.clients.partitionsOf(this.topic);
        this.partitions.catch(() => (this.partitions = undefined));
        const partition = original === undefined ? undefined : original % (await this.partitions);
        await this.clients.produce([{ ...record, partition }]);
        return;
      } catch (error) {
        this.report(asError(error));
        if (this.closing() || attempt >= 10) throw error;
        await new Promise(resolve => setTimeout(resolve, 1_000));
      }
    }
  }
}
