import * as t from 'io-ts';
import { act, event, eventValidator$, matchEvent } from '@tributary/core';
import type { ConformanceKit } from './internal/ConformanceKit';

const AddItem = event('AddItem')(t.type({ sku: t.string, qty: t.number }));

/** A validation failure would fail the same way again: dead-lettered on the first attempt. */
export const validationCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('validation: an emitted event failing eventValidator$ is dead-lettered on its first attempt (reason "failed"), however many acts follow', [], async c => {
    const channel = c.channel('validation');
    const worked: unknown[] = [];
    let validated = 0;
    await c.service(
      channel,
      {
        effects: [
          e$ =>
            e$.pipe(
              matchEvent(AddItem),
              act(e => {
                validated++;
                return eventValidator$(AddItem)(e);
              }),
              act(e => e),
              act(e => void worked.push(e.payload)),
            ),
        ],
      },
      { extra: { retry: { maxAttempts: 3, initialDelay: 20 } } },
    );
    const client = await c.client(channel);
    await client.emit({ type: 'AddItem', payload: { sku: 'sku-1', qty: 'two' } });
    await client.emit({ type: 'AddItem', payload: { sku: 'sku-2', qty: 2 } });
    const [letter] = await c.deadLettersOf(channel, 1);
    await c.waitFor(() => worked.length === 1, 'the valid event');
    expect(letter).toMatchObject({ type: 'AddItem', reason: 'failed', errorName: 'EventError', attempts: 1 });
    expect(letter.errorMessage).toContain('payload.qty');
    expect(worked).toEqual([{ sku: 'sku-2', qty: 2 }]);
    expect(validated).toBe(2); // never retried
  });
};
