/**
 * Failure behaviour against the machine's Mosquitto, counted: connections cut through a
 * loopback TCP proxy, a consumer process killed with SIGKILL mid-run, poison and malformed
 * messages. Each test prints `lost` (must be 0: QoS 1 with the PUBACK after settlement is
 * at-least-once) and `duplicates` (allowed by at-least-once; counted).
 *
 * The killed consumer is a real child process (`node` on fixtures/consumer.js) running the
 * built packages: `beforeAll` builds them with `npx tsc -b packages/mqtt`.
 */
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { createTcpProxy } from '@tributary/testing/conformance';
import { MQTT_URL, injectRaw, readDeadLetters, sleep, uniqueChannel, waitFor } from './helpers/broker';
import { MqttServices } from './helpers/services';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'consumer.js');
const broker = new URL(MQTT_URL);

type Report = { ready?: true; handled?: unknown; attempt?: number; error?: string };

/** lost = sent and never handled; duplicates = handled more than once. */
const count = (sent: readonly unknown[], handled: readonly unknown[]): { sent: number; handled: number; lost: number; duplicates: number } => {
  const unique = new Set(handled);
  return { sent: sent.length, handled: handled.length, lost: sent.filter(n => !unique.has(n)).length, duplicates: handled.length - unique.size };
};

const recorder = (type: string, seen: Event[], work: (event: Event) => unknown = () => undefined): MsgEffect => event$ =>
  event$.pipe(
    matchEvent(type),
    act(async event => {
      await work(event);
      seen.push(event);
    }),
  );

describe('MQTT failure behaviour (Mosquitto)', () => {
  let services: MqttServices;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'packages/mqtt'], { cwd: ROOT, timeout: 180_000 });
  }, 200_000);

  beforeEach(() => {
    services = new MqttServices();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await services.close();
  });

  /** Starts fixtures/consumer.js; resolves once its service is connected. */
  const spawnConsumer = (channel: string, clientId: string, onReport: (report: Report) => void, receiveMaximum = 32): Promise<ChildProcess> =>
    new Promise((resolve, reject) => {
      const child = fork(FIXTURE, [channel, MQTT_URL, clientId, '10', String(receiveMaximum)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      children.push(child);
      services.options({ channel, clientId }); // its session is removed at the end
      child.on('message', (report: Report) => {
        if (report.ready) resolve(child);
        else if (report.error) reject(new Error(report.error));
        else onReport(report);
      });
      // killed while starting (a crashing message came at once): the caller sees it exited
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(child) : reject(new Error(`consumer exited with ${code}`))));
    });

  const killed = (child: ChildProcess): Promise<void> =>
    new Promise(resolve => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  test('consumer SIGKILLed mid-run and restarted with its client id: lost 0', async () => {
    const channel = uniqueChannel('crash');
    const handled: unknown[] = [];
    const seen: Event[] = [];
    await services.service({ channel, clientId: `${channel}-local` }, { effects: [recorder('Job', seen, () => sleep(10))] });
    const onReport = (report: Report): void => void handled.push(report.handled);
    let child = await spawnConsumer(channel, `${channel}-child`, onReport);
    const client = await services.client({ channel });
    const sent = Array.from({ length: 300 }, (_, i) => i);
    let killedAt = -1;
    for (const n of sent) {
      await client.emit({ type: 'Job', payload: n });
      if (n === 100) {
        killedAt = handled.length;
        await killed(child);
      }
      if (n === 200) child = await spawnConsumer(channel, `${channel}-child`, onReport);
    }
    const all = (): unknown[] => [...handled, ...seen.map(event => event.payload)];
    await waitFor(() => count(sent, all()).lost === 0, 30_000, 'every message handled');
    await sleep(500);
    const result = count(sent, all());
    console.log(`[mqtt failures] SIGKILL mid-run (child handled ${killedAt} before the kill): ${JSON.stringify(result)}`);
    expect(result.lost).toBe(0);
  });

  test.each([32, 1])('a message that kills its consumer every time is dead-lettered after retry.maxAttempts crashes; nothing is lost (receiveMaximum %d)', async receiveMaximum => {
    const channel = uniqueChannel('crashy');
    const handled: unknown[] = [];
    const onReport = (report: Report): void => void handled.push(report.handled);
    let child = await spawnConsumer(channel, `${channel}-child`, onReport, receiveMaximum);
    const client = await services.client({ channel });
    await client.emit({ type: 'Job', payload: 'crash' });
    const sent = Array.from({ length: 20 }, (_, i) => i);
    for (const n of sent) await client.emit({ type: 'Job', payload: n });
    let crashes = 0;
    const letters: Awaited<ReturnType<typeof readDeadLetters>> = [];
    const deadLettered = (): unknown[] => letters.map(letter => JSON.parse(letter.body.toString()).payload);
    // a supervisor: restart the consumer whenever it dies, until every message is handled or dead-lettered
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        crashes++;
        child = await spawnConsumer(channel, `${channel}-child`, onReport, receiveMaximum);
      }
      letters.push(...(await readDeadLetters(channel, 100, true)));
      if (deadLettered().includes('crash') && count(sent, [...handled, ...deadLettered()]).lost === 0) break;
      await sleep(100);
    }
    const poison = letters.find(letter => JSON.parse(letter.body.toString()).payload === 'crash');
    // messages in flight beside it when it killed its consumer had their attempts counted too
    const collateral = letters.length - 1;
    const result = count(sent, [...handled.filter(n => n !== 'crash'), ...deadLettered().filter(n => n !== 'crash')]);
    console.log(`[mqtt failures] crash-looping poison, receiveMaximum ${receiveMaximum}: ${crashes} crash(es), then dead-lettered; other messages ${JSON.stringify({ ...result, handledByEffects: handled.filter(n => n !== 'crash').length, deadLetteredBeside: collateral })}`);
    expect(poison).toEqual(expect.objectContaining({ reason: 'failed', errorName: 'MaxAttemptsExceededError', attempts: 4 }));
    expect(crashes).toBe(3);
    expect(result.lost).toBe(0);
    // one message in flight at a time: only the one that killed the process is counted
    if (receiveMaximum === 1) expect(collateral).toBe(0);
  });

  test('connection cut three times under load (service and client through a TCP proxy): lost 0', async () => {
    const channel = uniqueChannel('cut');
    const proxy = await createTcpProxy({ host: broker.hostname, port: Number(broker.port || 1883) });
    try {
      const host = `mqtt://127.0.0.1:${proxy.port}`;
      const seen: Event[] = [];
      await services.service({ channel, host, clientId: `${channel}-svc`, reconnect: { initialDelay: 50, maxDelay: 200 } }, { effects: [recorder('Job', seen, () => sleep(5))] });
      const client = await services.client({ channel, host, timeout: 10_000, reconnect: { initialDelay: 50, maxDelay: 200 } });
      const resolved: number[] = [];
      const rejected: string[] = [];
      const emits: Array<Promise<void>> = [];
      for (let n = 0; n < 300; n++) {
        emits.push(client.emit({ type: 'Job', payload: n }).then(() => void resolved.push(n), (error: Error) => void rejected.push(`${n}: ${error?.name}: ${error?.message}`)));
        if (n % 100 === 50) {
          await proxy.cut();
          await sleep(300);
          await proxy.restore();
        }
        await sleep(2);
      }
      await Promise.all(emits);
      await waitFor(() => count(resolved, seen.map(event => event.payload)).lost === 0, 20_000, 'every resolved emit handled');
      await sleep(500);
      const result = count(resolved, seen.map(event => event.payload));
      // a duplicate on attempt 1 is a publish sent again by the client (its PUBACK lost): the broker took it twice;
      // on attempt 2, a delivery sent again by the broker (the service's PUBACK lost)
      const firsts = new Set<unknown>();
      const again = seen.filter(event => firsts.size === firsts.add(event.payload).size);
      const bySide = { resentByClient: again.filter(event => event.metadata?.attempt === 1).length, redeliveredByBroker: again.filter(event => event.metadata?.attempt !== 1).length };
      console.log(`[mqtt failures] 3 cuts under load: ${JSON.stringify({ ...result, ...bySide, rejectedEmits: rejected.length })}`);
      expect(rejected).toEqual([]);
      expect(result.lost).toBe(0);
    } finally {
      await services.close();
      await proxy.close();
    }
  });

  test('a cut while a message waits for its in-process retry: it is retried and settled once, not delivered twice', async () => {
    const channel = uniqueChannel('cut-retry');
    const proxy = await createTcpProxy({ host: broker.hostname, port: Number(broker.port || 1883) });
    try {
      const host = `mqtt://127.0.0.1:${proxy.port}`;
      const attempts: number[] = [];
      const flaky: MsgEffect = event$ =>
        event$.pipe(
          matchEvent('Charge'),
          act(event => {
            attempts.push(event.metadata!.attempt!);
            if (event.metadata!.attempt! < 3) throw new Error('gateway timeout');
          }),
        );
      await services.service({ channel, host, clientId: `${channel}-svc`, retry: { maxAttempts: 5, initialDelay: 400, factor: 1 }, reconnect: { initialDelay: 50, maxDelay: 100 } }, { effects: [flaky] });
      const client = await services.client({ channel });
      await client.emit({ type: 'Charge' });
      await waitFor(() => attempts.length === 1, 5_000, 'first attempt');
      await proxy.cut();
      await sleep(200);
      await proxy.restore(); // the broker resends the unacknowledged message (DUP) on the resumed session
      await waitFor(() => attempts.length === 3, 5_000, 'third attempt');
      await sleep(1_200);
      expect(attempts).toEqual([1, 2, 3]);
      expect(await readDeadLetters(channel, 100)).toEqual([]);
    } finally {
      await services.close();
      await proxy.close();
    }
  });

  test('poison (always throws) and malformed messages among good ones: dead-lettered, the good ones all handled', async () => {
    const channel = uniqueChannel('poison');
    const seen: Event[] = [];
    const work = (event: Event): void => {
      if (event.payload === 'poison') throw new RangeError('bad data');
    };
    await services.service({ channel, retry: { maxAttempts: 3, initialDelay: 20 } }, { effects: [recorder('Job', seen, work)] });
    const client = await services.client({ channel });
    const sent = Array.from({ length: 100 }, (_, i) => i);
    for (const n of sent) {
      if (n % 20 === 0) await client.emit({ type: 'Job', payload: 'poison' });
      if (n % 10 === 5) await injectRaw(channel, Buffer.from(`garbage ${n}`));
      await client.emit({ type: 'Job', payload: n });
    }
    await waitFor(() => count(sent, seen.map(event => event.payload)).lost === 0, 10_000, 'good messages');
    let letters = await readDeadLetters(channel, 100);
    await waitFor(async () => (letters = await readDeadLetters(channel, 150)).length === 15, 10_000, '15 dead letters');
    const result = count(sent, seen.map(event => event.payload));
    const reasons = letters.reduce<Record<string, number>>((acc, letter) => ({ ...acc, [letter.reason]: (acc[letter.reason] ?? 0) + 1 }), {});
    console.log(`[mqtt failures] poison + malformed: ${JSON.stringify({ ...result, deadLetters: reasons })}`);
    expect(reasons).toEqual({ failed: 5, malformed: 10 });
    expect(letters.filter(letter => letter.reason === 'failed').every(letter => letter.errorName === 'RangeError' && letter.attempts === 3)).toBe(true);
    expect(result).toEqual({ sent: 100, handled: 100, lost: 0, duplicates: 0 });
  });
});
