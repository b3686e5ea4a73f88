import { act, matchEvent } from '@tributary/core';
import type { EventMetadata } from '@tributary/core';
import { redriveDeadLetters } from '@tributary/messaging';
import type { ConformanceKit } from './internal/ConformanceKit';

/** Redrive: a dead letter goes back to its service as a fresh delivery with its headers, once. */
export const redriveCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('redrive: a dry run lists a dead letter and moves nothing; a redrive sends it back once, as attempt 1 with its original headers', ['redrive'], async c => {
    const channel = c.channel('redrive');
    const broken = await c.service(
      channel,
      {
        effects: [
          e$ =>
            e$.pipe(
              matchEvent('Charge'),
              act(() => {
                throw new TypeError('card expired');
              }),
            ),
        ],
      },
      { extra: { retry: { maxAttempts: 2, initialDelay: 20, maxDelay: 20 } } },
    );
    const client = await c.client(channel);
    await client.emit({ type: 'Charge', payload: { n: 1 }, metadata: { id: `charge-${channel}`, headers: { tenant: 'acme', 'trace-id': 't-1' } } });
    await c.deadLettersOf(channel, 1);
    await broken.close({ drainTimeout: 1_000 });
    await c.replaced(broken, channel);
    const options = c.serviceOptionsOf(channel);

    const dry = await redriveDeadLetters({ transport: c.setup.transport, options, dryRun: true });
    expect(dry.moved).toBe(0);
    expect(dry.letters).toHaveLength(1);
    expect(dry.letters[0]).toMatchObject({ messageId: `charge-${channel}`, type: 'Charge', reason: 'failed', errorName: 'TypeError', errorMessage: 'card expired', attempts: 2 });
    expect(dry.letters[0].headers).toEqual({ tenant: 'acme', 'trace-id': 't-1' });
    expect(await c.deadLetters(channel)).toHaveLength(1);

    const seen: EventMetadata[] = [];
    await c.service(channel, { effects: [e$ => e$.pipe(matchEvent('Charge'), act(e => void seen.push(e.metadata)))] });
    const result = await redriveDeadLetters({ transport: c.setup.transport, options });
    expect(result).toMatchObject({ moved: 1, matched: 1 });
    await c.waitFor(() => seen.length === 1, 'the redriven event', () => seen);
    expect(seen[0]).toMatchObject({ id: `charge-${channel}`, attempt: 1, headers: { tenant: 'acme', 'trace-id': 't-1' } });
    await c.waitFor(async () => (await c.deadLetters(channel)).length === 0, 'no dead letter left');
    const again = await redriveDeadLetters({ transport: c.setup.transport, options, dryRun: true });
    expect(again.matched).toBe(0);
    expect(seen).toHaveLength(1);
  });
};
