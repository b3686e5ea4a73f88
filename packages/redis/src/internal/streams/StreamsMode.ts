import { InFlightMessages } from '@tributary/messaging/transport';
import type { DeadLetterInfo } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import { CLOSE_WAIT } from '../TransportMode';
import { orUnavailable, settleWithin } from '../clients';
import type { ModeContext, TransportMode } from '../TransportMode';
import { toBytes } from '../envelope';
import { deadLetterFields } from '../deadLetterFields';
import { StreamEntry, toEntryFields } from './entryFields';
import { produce, publishToTopic } from './produce';
import { StreamRaw, toStreamMessage } from './streamMessage';
import { StreamGroups } from './StreamGroups';
import { StreamReader } from './StreamReader';
import { moveDueRetries, retryEntry, RetryKeys } from './retryScript';
import { Replacement, replaceEntry } from './replaceEntry';
import { LeaseKeeper, retireConsumer } from './leases';
import { Timers } from '../Timers';

/**
 * streams mode, at-least-once. An entry stays pending in the group until it is settled:
 * `XACK` on success; on failure a copy with `attempt + 1` waits in `<channel>:retry` (a sorted
 * set by due time) and the original is acknowledged in the same script, so a crash during the
 * backoff loses nothing (any instance moves due retries); dead letters are `XADD`ed to the
 * dead-letter stream and acknowledged in one script. Each replacement is written only if the
 * entry was still pending (`replaceEntry`): a settlement re-sent after a cut writes nothing twice.
 */
export class StreamsMode implements TransportMode {
  private readonly inFlight = new InFlightMessages<StreamRaw>();
  /** `<stream> <id>` of entries handed over and not yet settled in Redis (recovery skips them). */
  private readonly busy = new Set<string>();
  /**
   * Entries settled while a recovery pass runs: its snapshot of the pending list may predate
   * their `XACK` (another connection), so they must not be handed over again.
   */
  private readonly settledDuringPass = new Set<string>();
  private passing = false;
  private readonly timers = new Timers();
  private readonly groups: StreamGroups;
  private reader?: StreamReader;
  private deliver?: (message: TransportMessage) => void;
  private stopAnnouncements?: () => Promise<void>;
  private stopping: Promise<void> = Promise.resolve();
  private readonly leases: LeaseKeeper;
  private started = false;

  constructor(private readonly ctx: ModeContext) {
    this.groups = new StreamGroups(ctx.options);
    this.leases = new LeaseKeeper(ctx.command, ctx.options, () => this.inFlight.values(), error => ctx.report(error));
  }

  /** A consumer: its groups, then its reader's connection (see `StreamReader.prepare`), within `timeout`. */
  async setup(isConsumer: boolean): Promise<void> {
    if (!isConsumer) return;
    await this.groups.ensure(this.ctx.command);
    this.reader = this.createReader();
    const { timeout, address } = this.ctx.options;
    await orUnavailable(this.reader.prepare(timeout), timeout, address);
  }

  async start(deliver: (message: TransportMessage) => void): Promise<void> {
    this.deliver = deliver;
    this.started = true;
    this.leases.start();
    const { keys } = this.ctx.options;
    // prepared by connect; after a stop, a new one
    const reader = (this.reader ??= this.createReader());
    if (this.groups.hasWildcards) {
      // a type published for the first time: read its stream at once, not at the next maintenance
      const announce = [keys.topicAnnounce];
      // in the background: until it is in place, new types are found at the next maintenance
      void this.ctx.subscriber.subscribe(announce, message => {
        this.groups
          .discover(this.ctx.command, [message.toString('utf8')])
          .then(added => (added.length ? reader.interrupt() : undefined))
          .catch(error => this.ctx.report(error));
      }).catch(error => this.ctx.report(error));
      this.stopAnnouncements = () => this.ctx.subscriber.unsubscribe(announce);
    }
    // stopped meanwhile: the reader refuses to start
    await reader.start();
  }

  private createReader(): StreamReader {
    return new StreamReader(this.ctx, this.groups, {
      handle: (entry, deliveries) => this.handle(entry, deliveries),
      isBusy: (stream, id) => this.busy.has(`${stream} ${id}`) || this.settledDuringPass.has(`${stream} ${id}`),
      pass: async run => {
        this.passing = true;
        try {
          await run();
        } finally {
          this.passing = false;
          this.settledDuringPass.clear();
        }
      },
      slot: () => this.inFlight.below(this.ctx.options.batchSize),
      inFlightCount: () => this.inFlight.size,
      maintain: () => this.moveDue(),
    });
  }

  private handle(entry: StreamEntry, deliveries: number): void {
    const { group } = this.ctx.options;
    if (!entry.fields) {
      // trimmed away (MAXLEN) or deleted while pending: nothing left to process
      this.track(entry.stream, entry.id, this.ctx.command.xack(entry.stream, group, entry.id));
      this.ctx.report(new Error(`Stream entry ${entry.id} of "${entry.stream}" was deleted before it was processed (trimmed by maxLen?).`));
      return;
    }
    const message = toStreamMessage({ ...entry, fields: entry.fields }, deliveries);
    const { raw } = message;
    this.inFlight.add(raw, raw);
    this.busy.add(`${raw.stream} ${raw.id}`);
    this.deliver?.(message);
  }

  /** Stops reading; every call returns a promise of all stops so far (close waits for one begun by an unsubscribe). */
  stop(): Promise<void> {
    this.deliver = undefined;
    const reader = this.reader;
    const stopAnnouncements = this.stopAnnouncements;
    this.reader = undefined;
    this.stopAnnouncements = undefined;
    this.inFlight.wake();
    const step = (async () => {
      await reader?.stop();
      await stopAnnouncements?.();
    })().catch(error => this.ctx.report(error));
    this.stopping = Promise.all([this.stopping, step]).then(() => undefined);
    return this.stopping;
  }

  async emit(channel: string, message: TransportMessage): Promise<boolean> {
    await produce(this.ctx, channel, message);
    return true;
  }

  async publish(topic: string, message: TransportMessage): Promise<boolean> {
    await publishToTopic(this.ctx, topic, message);
    return true;
  }

  request(channel: string, message: TransportMessage, replyTo: string, correlationId: string): Promise<void> {
    return produce(this.ctx, channel, message, { replyTo, correlationId });
  }

  async ack(message: TransportMessage | undefined): Promise<void> {
    const raw = this.inFlight.take(message);
    if (raw) await this.track(raw.stream, raw.id, this.ctx.command.xack(raw.stream, this.ctx.options.group, raw.id));
  }

  async nack(message: TransportMessage | undefined, resend: boolean): Promise<void> {
    if (!message) return;
    if (!resend) return this.deadLetter(message, { reason: 'rejected', attempts: message.attempt ?? 1 });
    const raw = this.inFlight.take(message);
    if (!raw) return;
    const { keys, maxLen } = this.ctx.options;
    const copy = toEntryFields(message, { attempt: raw.attempt });
    await this.replace(raw, { kind: 'add', stream: keys.channel, maxLen, fields: copy });
  }

  async retry(message: TransportMessage, retry: { delay: number; attempt: number }): Promise<void> {
    const raw = this.inFlight.take(message);
    if (!raw) return;
    const due = Date.now() + Math.max(0, retry.delay);
    const keys = this.retryKeys();
    const data = toBytes(message.data);
    await this.replace(raw, { kind: 'retry', keys, entry: retryEntry(raw, data, retry.attempt), due });
    // a timer measures from the event loop's cached time, which may lag `due`'s Date.now()
    // (by a long turn under load): move what is due by `due`, not by the clock when it fires
    this.timers.later(retry.delay, () => this.moveDue(due));
  }

  async deadLetter(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const raw = this.inFlight.take(message);
    if (!raw) return;
    const { deadLetter, group } = this.ctx.options;
    if (!deadLetter) {
      this.ctx.report(new Error(`Dead letter dropped (deadLetter: false): entry ${raw.id} of "${raw.stream}", ${info.reason}`));
      return this.track(raw.stream, raw.id, this.ctx.command.xack(raw.stream, group, raw.id));
    }
    const fields = deadLetterFields(message, info, { source: raw.stream, id: raw.id, original: raw.fields.data ? undefined : raw.fields.all });
    await this.replace(raw, { kind: 'add', stream: deadLetter.stream, maxLen: deadLetter.maxLen, fields });
  }

  /** Writes what replaces an entry (a copy, a retry, a dead letter) and acknowledges it, once (see `replaceEntry`). */
  private replace(raw: StreamRaw, replacement: Replacement): Promise<void> {
    const { command, options } = this.ctx;
    return this.track(raw.stream, raw.id, replaceEntry(command, options.group, raw, replacement, Boolean(options.cluster)));
  }

  /** Runs a settlement command, remembering the entry until it is done; failures go to `error$` (the entry stays pending and comes back). */
  private async track(stream: string, id: string, command: Promise<unknown>): Promise<void> {
    try {
      await this.inFlight.settle(command);
    } catch (error) {
      this.ctx.report(error);
    } finally {
      this.busy.delete(`${stream} ${id}`);
      if (this.passing) this.settledDuringPass.add(`${stream} ${id}`);
    }
  }

  private retryKeys(): RetryKeys {
    const { keys } = this.ctx.options;
    return { retryQueue: keys.retryQueue, retryData: keys.retryData, stream: keys.channel };
  }

  /** Moves the retries due by now, or by `upTo` when that is later. */
  private moveDue(upTo = 0): Promise<void> {
    return moveDueRetries(this.ctx.command, this.retryKeys(), this.ctx.options.maxLen, Math.max(Date.now(), upTo)).then(
      () => undefined,
      error => this.ctx.report(error),
    );
  }

  /** Stops everything; each wait is bounded, Redis may be down. */
  async close(): Promise<void> {
    const wait = Math.min(this.ctx.options.timeout, CLOSE_WAIT);
    this.timers.clear();
    this.leases.stop();
    await settleWithin(this.stop(), wait);
    await this.inFlight.drain(wait);
    // unsettled entries stay pending: this consumer re-reads them on restart, others claim them
    this.inFlight.clear();
    this.busy.clear();
    if (this.started && this.ctx.command.status === 'ready') await retireConsumer(this.ctx.command, this.ctx.options, this.groups.streams).catch(error => this.ctx.report(error));
  }
}
