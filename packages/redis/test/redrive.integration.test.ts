/**
 * Redrive on Redis: dead letters of the dead-letter stream go back to the service's stream
 * as fresh entries (attempt 1, the envelope and its headers as they were), each exactly once,
 * deleted (XDEL) only after the XADD was answered.
 */
import { act, matchEvent } from '@tributary/core';
import type { EventMetadata } from '@tributary/core';
import { redriveDeadLetters, RedriveFailedError, Transport } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { produceDeadLetters } from './deadLetters';
import { REDIS_URL, RedisTestBed, waitFor } from './helpers';
import { RedisServices } from './services';

describe('redriveDeadLetters on Redis', () => {
  let bed: RedisTestBed;
  let services: RedisServices;
  beforeEach(() => {
    bed = new RedisTestBed();
    services = new RedisServices(bed);
  });
  afterEach(async () => {
    await services.close();
    await bed.close();
  });

  it('moves 1,000 dead letters back to the service stream: none lost, none duplicated (by id), no attempt field', async () => {
    const channel = bed.channel('orders');
    await produceDeadLetters(bed.admin, bed.key(`${channel}:dead-letter`), bed.key(channel), 1000);
    const options = { host: REDIS_URL, keyPrefix: bed.keyPrefix, channel, mode: 'streams' as const, timeout: 5000 };
    const started = Date.now();
    const result = await redriveDeadLetters({ transport: Transport.REDIS, options });
    const took = Date.now() - started;
    expect(result).toMatchObject({ moved: 1000, matched: 1000 });
    expect(await bed.admin.xlen(bed.key(`${channel}:dead-letter`))).toBe(0);
    const entries = await bed.admin.xrange(bed.key(channel), '-', '+');
    expect(entries).toHaveLength(1000);
    const ids = entries.map(([, flat]) => flat[flat.indexOf('id') + 1]);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => `dl-${i}`));
    const [, first] = entries[0];
    const fields = Object.fromEntries(first.reduce<string[][]>((pairs, v, i) => (i % 2 ? (pairs[pairs.length - 1].push(v), pairs) : [...pairs, [v]]), []));
    expect(fields).toEqual({
      data: JSON.stringify({ type: 'OrderCancelled', payload: { n: 0 }, metadata: { id: 'dl-0', headers: { tenant: 'acme' }, key: 'k-0' } }),
      type: 'OrderCancelled',
      id: 'dl-0',
    });
    process.stdout.write(`redis: redrove 1000 dead letters in ${took} ms\n`);
  }, 60_000);

  it('a fixed service processes a redriven event as attempt 1 with its headers; dry run and filter move nothing else', async () => {
    const channel = bed.channel('payments');
    const retry = { maxAttempts: 2, initialDelay: 20, maxDelay: 20 };
    const failing$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Charge', 'Refund'),
        act(() => {
          throw new Error('bug: fixed in the next release');
        }),
      );
    const broken = await services.service({ channel, mode: 'streams', retry }, { effects: [failing$] });
    const client = await services.client({ channel, mode: 'streams' });
    await client.emit({ type: 'Charge', payload: 1, metadata: { id: 'charge-1', headers: { tenant: 'acme', trace: 't1' }, key: 'order-1' } });
    await client.emit({ type: 'Charge', payload: 2, metadata: { id: 'charge-2', headers: { tenant: 'acme' } } });
    await client.emit({ type: 'Refund', payload: 3, metadata: { id: 'refund-3' } });
    const dlq = bed.key(`${channel}:dead-letter`);
    await waitFor(async () => (await bed.admin.xlen(dlq)) === 3, 10_000, 'three dead letters');
    await broken.close();
    const options = services.options({ channel, mode: 'streams' });

    const dry = await redriveDeadLetters({ transport: Transport.REDIS, options, dryRun: true });
    expect(dry.moved).toBe(0);
    expect(dry.letters.map(l => l.messageId)).toEqual(['charge-1', 'charge-2', 'refund-3']);
    expect(dry.letters[0]).toMatchObject({ type: 'Charge', reason: 'failed', errorMessage: 'bug: fixed in the next release', attempts: 2, headers: { tenant: 'acme', trace: 't1' } });
    expect(await bed.admin.xlen(dlq)).toBe(3);

    const seen: EventMetadata[] = [];
    const fixed$: MsgEffect = e$ => e$.pipe(matchEvent('Charge', 'Refund'), act(e => void seen.push(e.metadata)));
    await services.service({ channel, mode: 'streams', retry }, { effects: [fixed$] });
    const moved = await redriveDeadLetters({ transport: Transport.REDIS, options, filter: { type: 'Charge', reason: ['failed'] } });
    expect(moved).toMatchObject({ moved: 2, matched: 2 });
    await waitFor(() => seen.length === 2, 5000, 'the redriven events');
    expect(seen.map(m => [m.id, m.attempt, m.headers, m.key])).toEqual([
      ['charge-1', 1, { tenant: 'acme', trace: 't1' }, 'order-1'],
      ['charge-2', 1, { tenant: 'acme' }, undefined],
    ]);
    const left = await redriveDeadLetters({ transport: Transport.REDIS, options, dryRun: true });
    expect(left.letters.map(l => l.messageId)).toEqual(['refund-3']);
  }, 30_000);

  it('pubsub mode: a letter nobody receives is kept', async () => {
    const channel = bed.channel('nobody');
    await produceDeadLetters(bed.admin, bed.key(`${channel}:dead-letter`), bed.key(channel), 2);
    const attempt = redriveDeadLetters({ transport: Transport.REDIS, options: services.options({ channel }) });
    await expect(attempt).rejects.toThrow(RedriveFailedError);
    await expect(attempt).rejects.toThrow(/Nobody subscribes to the pubsub channel/);
    expect(await bed.admin.xlen(bed.key(`${channel}:dead-letter`))).toBe(2);
  });
});
