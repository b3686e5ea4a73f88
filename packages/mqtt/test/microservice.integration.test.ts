import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { reply, UnhandledEventError } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { MqttNoSubscribersError, retireMqttSession } from '@tributary/mqtt';
import { firstValueFrom } from 'rxjs';
import { MQTT_URL, injectRaw, readDeadLetters, removeSessions, sleep, uniqueChannel, waitFor } from './helpers/broker';
import { MqttServices } from './helpers/services';

/** An effect recording each event it handles; `work` may throw. */
const recorder = (type: string, seen: Event[], work: (event: Event) => unknown = () => undefined): MsgEffect => event$ =>
  event$.pipe(
    matchEvent(type),
    act(async event => {
      seen.push(event);
      await work(event);
    }),
  );

describe('MQTT microservice on Mosquitto (public API)', () => {
  let services: MqttServices;

  beforeEach(() => {
    services = new MqttServices();
  });

  afterEach(async () => {
    await services.close();
  });

  test('emit reaches the service with its headers, key and ids', async () => {
    const channel = uniqueChannel('orders');
    const seen: Event[] = [];
    await services.service({ channel }, { effects: [recorder('OrderPlaced', seen)] });
    const client = await services.client({ channel });
    await client.emit({ type: 'OrderPlaced', payload: { id: 1 }, metadata: { headers: { tenant: 'acme' }, key: 'o-1', correlationId: 'c-1' } });
    await waitFor(() => seen.length === 1, 5_000, 'handled');
    expect(seen[0].payload).toEqual({ id: 1 });
    expect(seen[0].metadata).toEqual(expect.objectContaining({ headers: { tenant: 'acme' }, key: 'o-1', correlationId: 'c-1', attempt: 1 }));
    expect(typeof seen[0].metadata?.id).toBe('string');
  });

  test('send gets its reply over the response topic; concurrent calls get their own', async () => {
    const channel = uniqueChannel('math');
    const double$: MsgEffect = event$ => event$.pipe(matchEvent('Double'), act(event => reply(event)({ type: 'Doubled', payload: (event.payload as number) * 2 })));
    await services.service({ channel }, { effects: [double$] });
    const client = await services.client({ channel });
    const results = await Promise.all([1, 2, 3, 4].map(n => firstValueFrom(client.send({ type: 'Double', payload: n }))));
    expect(results.map(result => result.payload)).toEqual([2, 4, 6, 8]);
  });

  test('send of an event nobody handles fails fast with UnhandledEventError', async () => {
    const channel = uniqueChannel('rpc');
    await services.service({ channel }, { effects: [recorder('Known', [])] });
    const client = await services.client({ channel });
    const started = Date.now();
    const error = await firstValueFrom(client.send({ type: 'Nope' })).catch((e: Error) => e);
    expect((error as Error).name).toBe(new UnhandledEventError('Nope', channel).name);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('emit to a channel no session subscribes to fails with MqttNoSubscribersError', async () => {
    const client = await services.client({ channel: uniqueChannel('nobody') });
    await expect(client.emit({ type: 'Lost' })).rejects.toBeInstanceOf(MqttNoSubscribersError);
  });

  test('publish fans out to each subscribed service on its event topic tree; others get nothing', async () => {
    const [a, b, c] = [uniqueChannel('billing'), uniqueChannel('audit'), uniqueChannel('other')];
    const seenA: Event[] = [];
    const seenB: Event[] = [];
    const seenC: Event[] = [];
    await services.service({ channel: a, subscribe: [`pay${a}.*`] }, { effects: [recorder(`pay${a}.captured`, seenA)] });
    await services.service({ channel: b, subscribe: [`pay${a}.#`] }, { effects: [recorder(`pay${a}.captured`, seenB)] });
    await services.service({ channel: c, subscribe: ['unrelated.*'] }, { effects: [recorder(`pay${a}.captured`, seenC)] });
    const client = await services.client({ channel: a });
    await client.publish({ type: `pay${a}.captured`, payload: 7 });
    await client.publish({ type: `pay${a}.card.declined`, payload: 8 }); // matches b's pattern only, unhandled there
    await waitFor(() => seenA.length === 1 && seenB.length === 1, 5_000, 'fan-out');
    await sleep(300);
    expect(seenA).toHaveLength(1);
    expect(seenB).toHaveLength(1);
    expect(seenC).toHaveLength(0);
  });

  test('two instances compete: each emitted event is handled exactly once', async () => {
    const channel = uniqueChannel('work');
    const seen: Array<[number, number]> = [];
    for (const instance of [1, 2]) {
      await services.service({ channel }, { effects: [recorder('Job', [], event => void seen.push([instance, event.payload as number]))] });
    }
    const client = await services.client({ channel });
    for (let i = 0; i < 20; i++) await client.emit({ type: 'Job', payload: i });
    await waitFor(() => seen.length === 20, 5_000, 'all handled');
    await sleep(200);
    expect(seen.map(([, n]) => n).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(seen.map(([instance]) => instance)).size).toBe(2);
  });

  test('retried with backoff, then dead-lettered with the error, attempts and the original headers', async () => {
    const channel = uniqueChannel('poison');
    const seen: Event[] = [];
    const failing = recorder('Import', seen, () => {
      throw new TypeError('cannot parse row 7');
    });
    await services.service({ channel, retry: { maxAttempts: 3, initialDelay: 50 } }, { effects: [failing] });
    const client = await services.client({ channel });
    await client.emit({ type: 'Import', payload: 'row 7', metadata: { headers: { tenant: 'acme' } } });
    await waitFor(() => seen.length === 3, 5_000, 'three attempts');
    let letters = await readDeadLetters(channel);
    await waitFor(async () => (letters = await readDeadLetters(channel, 100)).length === 1, 5_000, 'dead letter');
    expect(seen.map(event => event.metadata?.attempt)).toEqual([1, 2, 3]);
    expect(letters[0]).toEqual(
      expect.objectContaining({ reason: 'failed', errorName: 'TypeError', errorMessage: 'cannot parse row 7', attempts: 3, type: 'Import', headers: { tenant: 'acme' } }),
    );
    expect(JSON.parse(letters[0].body.toString())).toEqual(expect.objectContaining({ type: 'Import', payload: 'row 7' }));
  });

  test('malformed bytes and unhandled events are dead-lettered with their reason while good ones flow', async () => {
    const channel = uniqueChannel('mixed');
    const seen: Event[] = [];
    await services.service({ channel }, { effects: [recorder('Known', seen)] });
    const client = await services.client({ channel });
    await injectRaw(channel, Buffer.from('{not json'), { properties: { userProperties: { origin: 'legacy' } } });
    await client.emit({ type: 'Unknown' });
    await client.emit({ type: 'Known' });
    await waitFor(() => seen.length === 1, 5_000, 'good message');
    let letters = await readDeadLetters(channel, 100);
    await waitFor(async () => (letters = await readDeadLetters(channel, 100)).length === 2, 5_000, 'two dead letters');
    expect(letters.map(letter => letter.reason).sort()).toEqual(['malformed', 'unhandled']);
    const malformed = letters.find(letter => letter.reason === 'malformed')!;
    expect(malformed.body.toString()).toBe('{not json');
    expect(malformed.headers).toEqual({ origin: 'legacy' });
  });

  test('events emitted while the (only) instance is offline are handled when it comes back with its client id', async () => {
    const channel = uniqueChannel('offline');
    const clientId = `${channel}-instance-1`;
    const first = await services.service({ channel, clientId }, { effects: [recorder('Ping', [])] });
    await first.close();
    const client = await services.client({ channel });
    for (let i = 0; i < 5; i++) await client.emit({ type: 'Ping', payload: i });
    const seen: Event[] = [];
    await services.service({ channel, clientId }, { effects: [recorder('Ping', seen)] });
    await waitFor(() => seen.length === 5, 5_000, 'queued messages handled');
    expect(seen.map(event => event.payload)).toEqual([0, 1, 2, 3, 4]);
  });

  test('close drains: an in-flight handler finishes and its message is acknowledged (not redelivered)', async () => {
    const channel = uniqueChannel('drain');
    const clientId = `${channel}-instance-1`;
    const seen: Event[] = [];
    let finished = 0;
    const service = await services.service({ channel, clientId }, { effects: [recorder('Slow', seen, async () => { await sleep(500); finished++; })] });
    const client = await services.client({ channel });
    await client.emit({ type: 'Slow' });
    await waitFor(() => seen.length === 1, 5_000, 'started');
    await service.close({ drainTimeout: 5_000 });
    expect(finished).toBe(1);
    const again: Event[] = [];
    await services.service({ channel, clientId }, { effects: [recorder('Slow', again)] });
    await sleep(700);
    expect(again).toHaveLength(0);
  });

  test('an offline member of the shared subscription keeps its share (Mosquitto 2) until retireMqttSession moves it to the running ones', async () => {
    const channel = uniqueChannel('retire');
    const seen: Event[] = [];
    await services.service({ channel, clientId: `${channel}-a` }, { effects: [recorder('Job', seen)] });
    const b = await services.service({ channel, clientId: `${channel}-b` }, { effects: [recorder('Job', [])] });
    await b.close();
    const client = await services.client({ channel });
    for (let i = 0; i < 10; i++) await client.emit({ type: 'Job', payload: i });
    await sleep(500);
    // round-robin over both sessions: b's share waits in b's session
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(10);
    const waiting = 10 - seen.length;
    const { moved } = await retireMqttSession({ host: MQTT_URL, channel, clientId: `${channel}-b` });
    expect(moved).toBe(waiting);
    await waitFor(() => seen.length === 10, 5_000, 'every message handled by the running instance');
    expect(seen.map(event => event.payload).sort((x, y) => (x as number) - (y as number))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // b's session is gone: new messages all go to a
    for (let i = 10; i < 14; i++) await client.emit({ type: 'Job', payload: i });
    await waitFor(() => seen.length === 14, 5_000, 'later messages all to the running instance');
  });

  test('qos 0 (at-most-once): emit, send and publish still work, without held acknowledgements', async () => {
    const channel = uniqueChannel('qos0');
    const seen: Event[] = [];
    const echo$: MsgEffect = event$ => event$.pipe(matchEvent('Echo'), act(event => reply(event)({ type: 'Echoed', payload: event.payload })));
    await services.service({ channel, qos: 0, subscribe: [`${channel}.tick`] }, { effects: [recorder('Ping', seen), recorder(`${channel}.tick`, seen), echo$] });
    const client = await services.client({ channel, qos: 0 });
    await client.emit({ type: 'Ping', payload: 1 });
    await client.publish({ type: `${channel}.tick`, payload: 2 });
    expect((await firstValueFrom(client.send({ type: 'Echo', payload: 3 }))).payload).toBe(3);
    await waitFor(() => seen.length === 2, 5_000, 'emit and publish handled');
  });

  test('a dead letter whose session was ended meanwhile is not dropped: the session is made again', async () => {
    const channel = uniqueChannel('dl-gone');
    await services.service({ channel }, { effects: [recorder('Known', [])] });
    await removeSessions([`${channel}-dead-letter`]); // e.g. a reader connected with a clean start
    const client = await services.client({ channel });
    await client.emit({ type: 'Unknown', metadata: { headers: { tenant: 'acme' } } });
    let letters = await readDeadLetters(channel, 100);
    await waitFor(async () => (letters = await readDeadLetters(channel, 100)).length === 1, 5_000, 'the dead letter');
    expect(letters[0]).toEqual(expect.objectContaining({ reason: 'unhandled', type: 'Unknown', headers: { tenant: 'acme' } }));
  });
});
