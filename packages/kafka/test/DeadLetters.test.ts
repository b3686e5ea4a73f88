import { DeadLetters } from '../src/internal/DeadLetters';
import type { Clients } from '../src/internal/Clients';

describe('DeadLetters.record', () => {
  const letters = new DeadLetters({} as Clients, 'orders', () => undefined, () => false);

  it('keeps the original key, value and headers, and adds why and where from', () => {
    const value = Buffer.from('{"type":"Boom"}');
    const raw = { topic: 'orders', partition: 2, offset: 41n, epoch: 1, key: 'k-1', value, headers: { tenant: 'acme', 'tributary.type': 'Boom' } };
    const record = letters.record({ data: value, raw }, { reason: 'failed', attempts: 3, error: { name: 'TypeError', message: 'kaputt' } });
    expect(record).toEqual({
      topic: 'orders.dead-letter',
      key: 'k-1',
      value,
      headers: {
        tenant: 'acme',
        'tributary.type': 'Boom',
        'x-dead-letter-reason': 'failed',
        'x-error-name': 'TypeError',
        'x-error-message': 'kaputt',
        'x-attempts': '3',
        'x-original-topic': 'orders',
        'x-original-partition': '2',
        'x-original-offset': '41',
      },
    });
  });

  it('without a Kafka origin (a message of another transport) it keeps the body and the reason', () => {
    const record = letters.record({ data: Buffer.from('x'), key: 'k' }, { reason: 'malformed', attempts: 1 });
    expect(record).toEqual({ topic: 'orders.dead-letter', key: 'k', value: Buffer.from('x'), headers: { 'x-dead-letter-reason': 'malformed', 'x-attempts': '1' } });
  });
});
