import { EventError } from '@tributary/core';
import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { fibClientOf } from '../src/client';
import { Fib } from '../src/events';
import { listener } from '../src/listener';

describe('the Fibonacci service', () => {
  let bed: MessagingTestBed;
  beforeEach(async () => {
    bed = await createMessagingTestBed({ listener, options: { channel: 'fib_rpc' } });
  });
  afterEach(() => bed.close());

  it('replies with F(n) as a decimal string', async () => {
    await expect(bed.send(Fib.create({ n: 90 }))).resolves.toMatchObject({ type: 'FibResult', payload: { n: 90, value: '2880067194370816120' } });
  });

  it('replies to concurrent callers, each with their own answer', async () => {
    const fib = fibClientOf(bed.client);
    const values = await Promise.all([30, 10, 20, 1, 0].map(n => fib.fib(n)));
    expect(values).toEqual(['832040', '55', '6765', '1', '0']);
  });

  it('rejects an invalid request with an EventError naming the field', async () => {
    const error = await bed.send({ type: 'Fib', payload: { n: 'ten' } }).catch(e => e);
    expect(error).toBeInstanceOf(EventError);
    expect(error.message).toBe('Event "Fib" failed validation: payload.n: expected NonNegativeInteger, received "ten"');
    expect(error.data).toEqual([{ path: 'payload.n', expected: 'NonNegativeInteger', received: 'ten' }]);
  });

  it('rejects a missing payload', async () => {
    await expect(bed.send({ type: 'Fib' })).rejects.toMatchObject({ name: 'EventError', data: [{ path: 'payload', received: 'undefined' }] });
  });

  it('refuses n above the limit, saying what the limit is', async () => {
    await expect(fibClientOf(bed.client).fib(20_000)).rejects.toMatchObject({ name: 'EventError', data: { n: 20_000, max: 10_000 } });
  });

  it('answers a type it does not know at once, with UnhandledEventError', async () => {
    await expect(bed.send({ type: 'Factorial', payload: { n: 5 } })).rejects.toMatchObject({ name: 'UnhandledEventError' });
  });

  it('sends nothing but replies, and dead-letters nothing', async () => {
    await bed.send(Fib.create({ n: 5 }));
    await bed.send({ type: 'Fib', payload: { n: -1 } }).catch(() => undefined);
    const outputs = await bed.collect();
    expect(outputs.map(e => [e.type, e.metadata?.replyTo !== undefined])).toEqual([
      ['FibResult', true],
      ['Fib_UNHANDLED_ERROR', true],
    ]);
    expect(bed.deadLetters).toEqual([]);
  });
});
