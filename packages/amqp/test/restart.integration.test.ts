/**
 * Broker restart under load: 2,000 emits while `rabbitmqctl stop_app` / `start_app` runs
 * mid-way. Every emit that resolved must be processed at least once after recovery, and the
 * service must recover by itself. The broker is always restarted (`finally`), and this file
 * holds the broker lock exclusively so no other amqp test file runs during the outage.
 */
import { act, matchEvent } from '@tributary/core';
import { ConnectionStatus } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { Admin, eventually, uniqueQueue, wait, withBrokerStopped } from './helpers/broker';
import { ownBroker } from './helpers/brokerLock';
import { Services } from './helpers/services';

jest.setTimeout(120_000);

const TOTAL = 2000;
const CONCURRENCY = 100;
const PACE = 100;

describe('broker restart under load', () => {
  let release: () => void;
  let admin: Admin | undefined;
  const services = new Services();

  beforeAll(async () => {
    release = await ownBroker();
  }, 160_000);

  afterAll(async () => {
    admin ??= await Admin.open();
    await services.stopAll(admin);
    await admin.close();
    release?.();
  });

  it('processes every resolved emit at least once, and recovers by itself', async () => {
    const queue = uniqueQueue('restart');
    const reconnect = { initialDelay: 100, maxDelay: 1000 };
    const processed = new Map<number, number>();
    const work$: MsgEffect = event$ => event$.pipe(matchEvent('Work'), act(e => void processed.set(e.payload as number, (processed.get(e.payload as number) ?? 0) + 1)));
    const service = await services.service(queue, { effects: [work$] }, { reconnect, prefetchCount: 50 });
    const statuses: string[] = [];
    const resolved = new Set<number>();
    let resolvedAtOutage = -1;
    service.status$.subscribe(s => {
      statuses.push(String(s));
      if (s === ConnectionStatus.DISCONNECTED && resolvedAtOutage < 0) resolvedAtOutage = resolved.size;
    });
    const client = await services.client(queue, { reconnect, timeout: 30_000 });

    const rejected: Error[] = [];
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        // on a slow machine the broker may take long to stop: past half the load, wait for the
        // outage to begin, so that it always lands mid-run whatever the machine's speed
        if (resolved.size >= TOTAL / 2 && resolvedAtOutage < 0) await eventually(() => resolvedAtOutage >= 0, 60_000, 5);
        const i = next++;
        await client.emit({ type: 'Work', payload: i }).then(
          () => resolved.add(i),
          error => rejected.push(error),
        );
        // about 1,000 emits a second: the load spans the outage
        await wait(PACE);
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // the outage starts with the load in full swing, and lasts about a second
    await eventually(() => resolved.size >= TOTAL / 5, 30_000, 5);
    await withBrokerStopped(async () => {
      await eventually(() => statuses.includes(ConnectionStatus.RECONNECTING), 10_000);
      await wait(1000);
    });
    await load;

    // the outage hit mid-way: a good part of the load came during and after it
    expect(resolvedAtOutage).toBeGreaterThan(0);
    expect(resolvedAtOutage).toBeLessThan(TOTAL * 0.75);
    // emits made during the outage waited for the broker: none gave up
    expect(rejected).toEqual([]);
    expect(resolved.size).toBe(TOTAL);
    await eventually(() => [...resolved].every(i => processed.has(i)), 30_000, 50);
    // recovered by itself, with one consumer
    await eventually(() => statuses[statuses.length - 1] === ConnectionStatus.CONNECTED, 10_000);
    expect(statuses).toEqual([ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED, ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED]);
    admin = await Admin.open();
    expect((await admin.inspect(queue))?.consumers).toBe(1);
    await eventually(async () => (await admin!.inspect(queue))?.messages === 0, 10_000);
    expect((await admin.inspect(`${queue}.dead-letter`))?.messages).toBe(0);
  });
});
