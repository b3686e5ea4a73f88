import { act, matchEvent } from '@tributary/core';
import type { EventMetadata } from '@tributary/core';
import { LocalBroker, redriveDeadLetters, RedriveNotSupportedError, Transport } from '@tributary/messaging';
import type { MsgEffect, TransportProvider } from '@tributary/messaging';
import { createLocalTransportLayer, withoutDeadLetterHeaders } from '@tributary/messaging/transport';
import { eventually, localClient, startLocalService, uniqueChannel } from './helpers';

describe('redriveDeadLetters on the local transport', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  const failing = (types: [string, ...string[]]): MsgEffect => e$ =>
    e$.pipe(
      matchEvent(...types),
      act(() => {
        throw new Error('bug in v1');
      }),
    );

  /** Dead-letters `count` events of each type through a service that always fails (2 attempts each). */
  const deadLetter = async (channel: string, types: string[], count: number): Promise<void> => {
    const service = await startLocalService(broker, channel, { effects: [failing(types as [string, ...string[]])] }, { retry: { maxAttempts: 2, initialDelay: 1, maxDelay: 1 } });
    const client = await localClient(broker, channel);
    for (const type of types) {
      for (let i = 0; i < count; i++) await client.emit({ type, payload: i, metadata: { id: `${type}-${i}`, headers: { tenant: 'acme' }, key: `k${i}` } });
    }
    await eventually(() => broker.getDeadLetters(channel).length === types.length * count);
    await service.close();
  };

  it('dry run lists without moving; a redrive moves each once, as attempt 1 with its original headers', async () => {
    const channel = uniqueChannel('redrive');
    await deadLetter(channel, ['OrderPlaced'], 5);
    const options = { channel, broker };

    const dry = await redriveDeadLetters({ transport: Transport.LOCAL, options, dryRun: true });
    expect(dry.moved).toBe(0);
    expect(dry.matched).toBe(5);
    expect(dry.letters.map(l => l.messageId)).toEqual(['OrderPlaced-0', 'OrderPlaced-1', 'OrderPlaced-2', 'OrderPlaced-3', 'OrderPlaced-4']);
    expect(dry.letters[0]).toMatchObject({ type: 'OrderPlaced', reason: 'failed', errorMessage: 'bug in v1', attempts: 2, headers: { tenant: 'acme' }, source: channel });
    expect(typeof dry.letters[0].deadLetteredAt).toBe('number');
    expect(broker.getDeadLetters(channel)).toHaveLength(5);

    const seen: EventMetadata[] = [];
    const fixed = await startLocalService(broker, channel, { effects: [e$ => e$.pipe(matchEvent('OrderPlaced'), act(e => void seen.push(e.metadata)))] });
    const progress: number[] = [];
    const result = await redriveDeadLetters({ transport: Transport.LOCAL, options, onProgress: p => progress.push(p.moved) });
    expect(result).toMatchObject({ moved: 5, matched: 5 });
    await eventually(() => seen.length === 5);
    expect(seen.map(m => m.id).sort()).toEqual(dry.letters.map(l => l.messageId).sort());
    expect(seen.every(m => m.attempt === 1 && m.headers?.tenant === 'acme' && typeof m.key === 'string')).toBe(true);
    expect(progress[progress.length - 1]).toBe(5);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    await fixed.close();
  });

  it('filters by type (patterns), reason, predicate; limit bounds the matches', async () => {
    const channel = uniqueChannel('filter');
    await deadLetter(channel, ['order.placed', 'order.cancelled', 'payment.failed'], 3);
    const options = { channel, broker };
    const byType = await redriveDeadLetters({ transport: Transport.LOCAL, options, filter: { type: 'order.*' }, dryRun: true });
    expect(byType.matched).toBe(6);
    const byReason = await redriveDeadLetters({ transport: Transport.LOCAL, options, filter: { reason: 'unhandled' }, dryRun: true });
    expect(byReason.matched).toBe(0);
    const limited = await redriveDeadLetters({ transport: Transport.LOCAL, options, filter: l => l.messageId!.endsWith('-1'), limit: 2, dryRun: true });
    expect(limited.letters.map(l => l.messageId)).toEqual(['order.placed-1', 'order.cancelled-1']);

    const moved = await redriveDeadLetters({ transport: Transport.LOCAL, options, filter: { type: ['payment.failed'], reason: 'failed' } });
    expect(moved).toMatchObject({ moved: 3, matched: 3 });
    expect(broker.depth(channel)).toBe(3); // no consumer now: they wait on the service's queue
    expect(broker.getDeadLetters(channel).map(l => l.message.type)).toEqual(['order.placed', 'order.placed', 'order.placed', 'order.cancelled', 'order.cancelled', 'order.cancelled']);
  });

  it('reads only what was dead-lettered when it started: failing again cannot loop', async () => {
    const channel = uniqueChannel('loop');
    await deadLetter(channel, ['Boom'], 3);
    const service = await startLocalService(broker, channel, { effects: [failing(['Boom'])] }, { retry: { maxAttempts: 1 } });
    const result = await redriveDeadLetters({ transport: Transport.LOCAL, options: { channel, broker } });
    expect(result.moved).toBe(3);
    await eventually(() => broker.getDeadLetters(channel).length === 3);
    expect(broker.getDeadLetters(channel).every(l => l.info.attempts === 1)).toBe(true);
    await service.close();
  });

  it('a transport without a dead-letter store says so', async () => {
    const bare: TransportProvider = {
      type: Transport.TCP,
      createTransportLayer: options => {
        const { openDeadLetters: _none, ...layer } = createLocalTransportLayer(options);
        return layer;
      },
    };
    await expect(redriveDeadLetters({ transport: bare, options: {} })).rejects.toThrow(RedriveNotSupportedError);
    await expect(redriveDeadLetters({ transport: bare, options: {} })).rejects.toThrow(/Transport TCP cannot list or redrive/);
  });

  it('withoutDeadLetterHeaders drops the dead-letter headers only', () => {
    expect(withoutDeadLetterHeaders({ tenant: 'a', 'x-error-name': 'E', 'X-Attempts': '3', 'x-key': 'k' })).toEqual({ tenant: 'a', 'x-key': 'k' });
  });
});
