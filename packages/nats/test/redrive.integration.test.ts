/**
 * Redrive on NATS JetStream: dead letters go back to the service subject as fresh deliveries
 * with their original headers, each once, deleted from the dead-letter stream only after the
 * server acknowledged the resend.
 */
import { act, matchEvent } from '@tributary/core';
import type { EventMetadata } from '@tributary/core';
import { redriveDeadLetters, Transport } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { produceDeadLetters } from './helpers/deadLetters';
import { NATS_URL, NatsTestBed, waitFor } from './helpers/natsBed';

describe('redriveDeadLetters on NATS JetStream', () => {
  let bed: NatsTestBed;
  beforeEach(() => {
    bed = new NatsTestBed();
  });
  afterEach(() => bed.close());

  const options = (channel: string) => ({ host: NATS_URL, channel, timeout: 5_000 });

  /** The messages of the service stream, oldest first: id (as the transport reads it) and headers. */
  const serviceMessages = async (channel: string): Promise<Array<{ id: string; headers: Record<string, string>; body: string }>> => {
    const { jsm } = await bed.manager();
    const stream = await jsm.streams.find(channel);
    const { state } = await jsm.streams.info(stream);
    const out: Array<{ id: string; headers: Record<string, string>; body: string }> = [];
    // a work-queue stream takes no ordered consumer: read it by sequence
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!stored) continue;
      const headers: Record<string, string> = {};
      for (const key of stored.header?.keys() ?? []) headers[key] = stored.header.get(key);
      out.push({ id: headers['x-message-id'] ?? headers['Nats-Msg-Id'], headers, body: Buffer.from(stored.data).toString() });
    }
    return out;
  };

  it('moves 1,000 dead letters back: none lost, none duplicated (by id), in order, original headers, then none is left', async () => {
    const channel = bed.channel('redrive1000');
    const { nc } = await bed.manager();
    await produceDeadLetters(nc, channel, 1000);
    expect(await bed.deadLetters(channel)).toHaveLength(1000);

    const started = Date.now();
    const progress: number[] = [];
    const result = await redriveDeadLetters({ transport: Transport.NATS, options: options(channel), onProgress: p => progress.push(p.moved) });
    const took = Date.now() - started;
    expect(result).toMatchObject({ moved: 1000, matched: 1000 });
    expect(progress[progress.length - 1]).toBe(1000);
    expect(result.letters[0]).toMatchObject({ messageId: 'dl-0', type: 'OrderCancelled', reason: 'failed', errorName: 'TypeError', attempts: 3, headers: { tenant: 'acme' }, source: channel });
    expect(await bed.deadLetters(channel)).toHaveLength(0);

    const moved = await serviceMessages(channel);
    expect(moved).toHaveLength(1000);
    expect(new Set(moved.map(m => m.id)).size).toBe(1000);
    expect(moved.map(m => m.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `dl-${i}`));
    expect(moved[0].headers).toMatchObject({ tenant: 'acme', 'x-type': 'OrderCancelled', 'x-key': 'k-0', 'x-correlation-id': 'c-0' });
    for (const gone of ['x-error-name', 'x-error-message', 'x-attempts', 'x-dead-letter-reason', 'x-original-subject']) expect(moved[0].headers).not.toHaveProperty(gone);
    expect(JSON.parse(moved[0].body)).toEqual({ type: 'OrderCancelled', payload: { n: 0 } });

    const again = await redriveDeadLetters({ transport: Transport.NATS, options: options(channel) });
    expect(again).toMatchObject({ moved: 0, matched: 0 });
    expect(await serviceMessages(channel)).toHaveLength(1000);
    process.stdout.write(`nats: redrove 1000 dead letters in ${took} ms\n`);
  }, 30_000);

  it('a letter that fails again after a redrive is a dead letter again (not dropped as a duplicate); once fixed it is handled once, as attempt 1', async () => {
    const channel = bed.channel('redrive-again');
    const retry = { maxAttempts: 2, initialDelay: 20, maxDelay: 20 };
    const failing$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Charge'),
        act(() => {
          throw new Error('still broken');
        }),
      );
    const broken = await bed.service({ channel, retry }, { effects: [failing$] });
    const client = await bed.client({ channel });
    await client.emit({ type: 'Charge', payload: 1, metadata: { id: 'charge-1', headers: { tenant: 'acme' }, key: 'order-1' } });
    await waitFor(async () => (await bed.deadLetters(channel)).length === 1, 10_000, 'the first dead letter');

    // redriven at once: the original id is still in the service stream's duplicate window
    expect(await redriveDeadLetters({ transport: Transport.NATS, options: options(channel) })).toMatchObject({ moved: 1 });
    await waitFor(async () => (await bed.deadLetters(channel)).length === 1, 10_000, 'the second dead letter');
    const [second] = (await redriveDeadLetters({ transport: Transport.NATS, options: options(channel), dryRun: true })).letters;
    expect(second).toMatchObject({ messageId: 'charge-1', type: 'Charge', attempts: 2, errorMessage: 'still broken', headers: { tenant: 'acme' } });
    await broken.close({ drainTimeout: 1_000 });

    const seen: EventMetadata[] = [];
    await bed.service({ channel, retry }, { effects: [e$ => e$.pipe(matchEvent('Charge'), act(e => void seen.push(e.metadata)))] });
    expect(await redriveDeadLetters({ transport: Transport.NATS, options: options(channel) })).toMatchObject({ moved: 1, matched: 1 });
    await waitFor(() => seen.length === 1, 10_000, 'the fixed service handles it');
    expect(seen[0]).toMatchObject({ id: 'charge-1', attempt: 1, key: 'order-1', headers: { tenant: 'acme' } });
    expect(await bed.deadLetters(channel)).toHaveLength(0);
  }, 30_000);

  it('redrives one letter by id, leaves the others in place, and reports the count', async () => {
    const channel = bed.channel('redrive-one');
    const { nc } = await bed.manager();
    await produceDeadLetters(nc, channel, 5);
    const one = await redriveDeadLetters({ transport: Transport.NATS, options: options(channel), filter: { where: l => l.messageId === 'dl-3' } });
    expect(one).toMatchObject({ moved: 1, matched: 1 });
    expect((await serviceMessages(channel)).map(m => m.id)).toEqual(['dl-3']);
    const left = await redriveDeadLetters({ transport: Transport.NATS, options: options(channel), dryRun: true });
    expect(left.letters.map(l => l.messageId)).toEqual(['dl-0', 'dl-1', 'dl-2', 'dl-4']);
    expect(left.letters.map(l => Number(l.id))).toEqual([1, 2, 3, 5]);
  });

  it('a channel whose dead-letter stream does not exist: DeadLetterDestinationNotFoundError', async () => {
    const channel = bed.channel('redrive-none');
    await expect(redriveDeadLetters({ transport: Transport.NATS, options: options(channel), dryRun: true })).rejects.toMatchObject({
      name: 'DeadLetterDestinationNotFoundError',
      message: expect.stringContaining(`${channel}.dead-letter`),
    });
  });
});
