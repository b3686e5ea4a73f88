import { EventError } from '@tributary/core';
import { decideSettlement, SettlementFacts } from '../src/internal/settlementPolicy';

const facts = (over: Partial<SettlementFacts> = {}): SettlementFacts => ({
  type: 'Charge',
  channel: 'payments',
  matched: true,
  failure: undefined,
  isRequest: false,
  expectAck: false,
  attempt: 1,
  retry: { maxAttempts: 3, initialDelay: 100, maxDelay: 1000, factor: 2, jitter: 0 } as SettlementFacts['retry'],
  ...over,
});

describe('the settlement policy', () => {
  it('acknowledges work that succeeded, and a request whose failure was answered', () => {
    expect(decideSettlement(facts())).toEqual({ outcome: 'ack' });
    expect(decideSettlement(facts({ isRequest: true, failure: new Error('x') }))).toEqual({ outcome: 'ack' });
  });

  it('answers an unhandled request at once and dead-letters an unhandled emit', () => {
    const answer = decideSettlement(facts({ matched: false, isRequest: true }));
    expect(answer.outcome).toBe('answer');
    expect(answer.outcome === 'answer' && answer.error.name).toBe('UnhandledEventError');
    const dead = decideSettlement(facts({ matched: false, attempt: 2 }));
    expect(dead).toMatchObject({ outcome: 'dead-letter', info: { reason: 'unhandled', attempts: 2, error: { name: 'UnhandledEventError' } } });
  });

  it('retries a failure with the next attempt and a growing delay, then dead-letters it', () => {
    const first = decideSettlement(facts({ failure: new TypeError('down') }));
    const second = decideSettlement(facts({ failure: new TypeError('down'), attempt: 2 }));
    expect(first).toMatchObject({ outcome: 'retry', attempt: 2, error: { name: 'TypeError', message: 'down' } });
    expect(second).toMatchObject({ outcome: 'retry', attempt: 3 });
    if (first.outcome !== 'retry' || second.outcome !== 'retry') throw new Error('expected retries');
    expect(second.delay).toBeGreaterThan(first.delay);
    expect(decideSettlement(facts({ failure: new TypeError('down'), attempt: 3 }))).toMatchObject({
      outcome: 'dead-letter',
      info: { reason: 'failed', attempts: 3, error: { name: 'TypeError' } },
    });
  });

  it('never retries what no attempt can fix, whether an Error or its encoded form', () => {
    const invalid = new EventError({ type: 'Charge' }, 'amount: expected number');
    expect(decideSettlement(facts({ failure: invalid }))).toMatchObject({ outcome: 'dead-letter', info: { reason: 'failed', attempts: 1 } });
    // what a second act sees: the error travelled on as a plain `{ name, message }`
    expect(decideSettlement(facts({ failure: { name: 'EventError', message: 'bad' } }))).toMatchObject({ outcome: 'dead-letter', info: { reason: 'failed' } });
    expect(decideSettlement(facts({ failure: { name: 'UnsupportedVersionError', message: 'v4' } }))).toMatchObject({
      outcome: 'dead-letter',
      info: { reason: 'unsupported-version' },
    });
  });

  it('waits in manual mode', () => {
    expect(decideSettlement(facts({ expectAck: true, failure: new Error('x') }))).toEqual({ outcome: 'wait' });
  });
});
