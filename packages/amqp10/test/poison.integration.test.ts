/**
 * Poison and malformed messages on the real broker: an event that always fails is retried
 * with a growing delay (scheduled copies) and dead-lettered after `maxAttempts` with the
 * error properties, while good events flow past it; bytes that are not an event (bad JSON,
 * JSON without a type, an amqp-value string, no body at all) are dead-lettered "malformed"
 * with their bytes and reported on error$.
 */
import { act, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, Transport } from '@tributary/messaging';
import type { MicroserviceConnection, MsgEffect } from '@tributary/messaging';
import { ArtemisAdmin, ARTEMIS_URL, eventually, uniqueChannel } from './helpers/artemis';
import type { TakenMessage } from './helpers/artemis';

jest.setTimeout(30_000);

describe('poison and malformed messages', () => {
  const admin = new ArtemisAdmin();
  const channels: string[] = [];
  const services: MicroserviceConnection[] = [];
  beforeAll(() => admin.open());
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close({ drainTimeout: 1000 });
  });
  afterAll(async () => {
    for (const name of channels) await admin.destroyQueues(name);
    await admin.close();
  });

  const start = async (effects: MsgEffect[], extra: object = {}): Promise<{ channel: string; service: MicroserviceConnection }> => {
    const channel = uniqueChannel('poison');
    channels.push(channel);
    const microservice = await createMicroservice({
      transport: Transport.AMQP10,
      options: { host: ARTEMIS_URL, channel, ...extra },
      listener: messagingListener({ effects }),
    });
    const service = await microservice();
    services.push(service);
    return { channel, service };
  };

  const deadLetters = async (channel: string, count: number): Promise<TakenMessage[]> => {
    const letters: TakenMessage[] = [];
    await eventually(async () => (letters.push(...(await admin.take(`${channel}.dead-letter`, 100))), letters.length >= count), 15_000, 100);
    return letters;
  };

  it('a poison event is retried with growing delays, then dead-lettered with its error, while 30 good events flow', async () => {
    const attempts: Array<{ attempt: number; at: number }> = [];
    const good: number[] = [];
    const effect$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Job'),
        act(e => {
          if (e.payload === 'poison') {
            attempts.push({ attempt: e.metadata?.attempt ?? 1, at: Date.now() });
            throw Object.assign(new Error('cannot digest this'), { name: 'PoisonError' });
          }
          good.push(e.payload as number);
        }),
      );
    const { channel } = await start([effect$], { retry: { maxAttempts: 4, initialDelay: 150, factor: 2 } });
    const body = (payload: unknown): string => JSON.stringify({ type: 'Job', payload });
    await admin.send(channel, body('poison'), { subject: 'Job', application_properties: { tenant: 'acme' } });
    for (let i = 0; i < 30; i++) await admin.send(channel, body(i), { subject: 'Job' });

    const [letter] = await deadLetters(channel, 1);
    expect(good.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(attempts.map(a => a.attempt)).toEqual([1, 2, 3, 4]);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
    // 150, 300, 600 ms (scheduled by the broker), within the timer's slack
    expect(gaps[0]).toBeGreaterThanOrEqual(130);
    expect(gaps[1]).toBeGreaterThanOrEqual(280);
    expect(gaps[2]).toBeGreaterThanOrEqual(570);
    expect(letter.properties).toMatchObject({
      'x-dead-letter-reason': 'failed',
      'x-error-name': 'PoisonError',
      'x-error-message': 'cannot digest this',
      'x-attempts': 4,
      'x-original-address': channel,
      tenant: 'acme',
    });
    expect(letter.message.subject).toBe('Job');
    expect(JSON.parse(letter.body.toString())).toEqual({ type: 'Job', payload: 'poison' });
    // settled once each: nothing left in the queue, nothing more in the dead letters
    expect(await admin.take(channel, 200)).toEqual([]);
    expect(await admin.take(`${channel}.dead-letter`, 200)).toEqual([]);
  });

  it('malformed bodies are dead-lettered "malformed" with their bytes and reported on error$, good events flow', async () => {
    const good: number[] = [];
    const effect$: MsgEffect = e$ => e$.pipe(matchEvent('Job'), act(e => void good.push(e.payload as number)));
    const { channel, service } = await start([effect$]);
    const errors: Error[] = [];
    service.error$.subscribe(error => errors.push(error));

    await admin.send(channel, '{"type":"Job","payload":1}');
    await admin.send(channel, 'not json {');
    await admin.send(channel, '{"payload":"no type"}');
    await admin.send(channel, '{"type":"Job","payload":2}');
    // a foreign producer's amqp-value string body (not a data section), and a message without a body
    await admin.sendRaw({ to: channel, body: 'plain text value', message_annotations: { 'x-opt-jms-dest': 0 } });
    await admin.sendRaw({ to: channel, message_annotations: { 'x-opt-jms-dest': 0 } });
    await admin.send(channel, '{"type":"Job","payload":3}');

    const letters = await deadLetters(channel, 4);
    expect(good).toEqual([1, 2, 3]);
    expect(letters.map(l => l.properties['x-dead-letter-reason'])).toEqual(['malformed', 'malformed', 'malformed', 'malformed']);
    expect(letters.map(l => l.body.toString())).toEqual(['not json {', '{"payload":"no type"}', 'plain text value', '']);
    expect(letters.every(l => l.properties['x-error-name'] === 'MalformedMessageError')).toBe(true);
    await eventually(() => errors.filter(e => e.name === 'MalformedMessageError').length === 4, 5000);
    expect(await admin.take(channel, 200)).toEqual([]);
  });
});
