/**
 * A consumer process killed with SIGKILL in the middle of a run: the messages it held
 * unsettled go back to the queue and the surviving instance handles them. Nothing is lost;
 * duplicates (handled by the child, killed before its accept went out) are counted and bounded
 * by what the child held.
 *
 * The killed instance is a real child process (`node` on fixtures/worker.js) using the built
 * packages (packages/*\/dist): `beforeAll` builds them with `npx tsc -b packages/amqp10`.
 */
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { act, contextFactory, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MicroserviceConnection, MsgEffect } from '@tributary/messaging';
import { ArtemisAdmin, ARTEMIS_URL, eventually, uniqueChannel } from './helpers/artemis';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'worker.js');
const TOTAL = 400;

type ChildReport = { ready?: true; handled?: string; attempt?: number; error?: string };

describe('consumer crash (SIGKILL) mid-run', () => {
  const admin = new ArtemisAdmin();
  let child: ChildProcess | undefined;
  let survivor: MicroserviceConnection | undefined;
  let client: MessagingClient | undefined;
  const channel = uniqueChannel('crash');

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'packages/amqp10'], { cwd: ROOT, timeout: 180_000 });
    await admin.open();
  }, 240_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await client?.close();
    await survivor?.close({ drainTimeout: 1000 });
    await admin.destroyQueues(channel);
    await admin.close();
  });

  it(`loses none of ${TOTAL} jobs when one of two instances is killed; duplicates are bounded`, async () => {
    const reports: ChildReport[] = [];
    child = fork(FIXTURE, [channel, ARTEMIS_URL, '4'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: ChildReport) => reports.push(m));
    await eventually(() => reports.some(r => r.ready || r.error), 20_000);
    expect(reports.find(r => r.error)).toBeUndefined();

    const bySurvivor: Array<{ id: string; attempt: number }> = [];
    const job$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Job'),
        act(async event => {
          await new Promise(resolve => setTimeout(resolve, 4));
          bySurvivor.push({ id: event.payload as string, attempt: event.metadata?.attempt ?? 1 });
        }),
      );
    const microservice = await createMicroservice({
      transport: Transport.AMQP10,
      options: { host: ARTEMIS_URL, channel, credit: 16 },
      listener: messagingListener({ effects: [job$] }),
    });
    survivor = await microservice();

    client = await MessagingClient({ transport: Transport.AMQP10, options: { host: ARTEMIS_URL, channel } })(await contextFactory());
    const emitted: string[] = [];
    const emitting = (async () => {
      for (let i = 0; i < TOTAL; i++) {
        await client!.emit({ type: 'Job', payload: `job-${i}` });
        emitted.push(`job-${i}`);
      }
    })();

    // kill the child in the middle of the run, while it holds messages
    await eventually(() => reports.filter(r => r.handled).length >= 40, 30_000);
    const exited = new Promise(resolve => child!.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await emitting;

    const byChild = reports.filter(r => r.handled).map(r => r.handled!);
    const handled = (): Set<string> => new Set([...byChild, ...bySurvivor.map(h => h.id)]);
    await eventually(() => handled().size === TOTAL, 60_000);

    const counts = new Map<string, number>();
    for (const id of [...byChild, ...bySurvivor.map(h => h.id)]) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = emitted.filter(id => !counts.has(id));
    const duplicates = [...counts.values()].filter(n => n > 1).length;
    console.log(`crash: ${TOTAL} emitted, child handled ${byChild.length}, survivor ${bySurvivor.length}, lost ${lost.length}, duplicates ${duplicates}`);
    expect(lost).toEqual([]);
    expect(emitted).toHaveLength(TOTAL);
    // a duplicate is a job the child finished but could not accept before it died: at most what it held (its credit)
    expect(duplicates).toBeLessThanOrEqual(16);
    // nothing is handled twice by the survivor, and the jobs the child held came back to it
    expect(new Set(bySurvivor.map(h => h.id)).size).toBe(bySurvivor.length);
    expect(byChild.length + bySurvivor.length).toBe(TOTAL + duplicates);
    // the queue is empty: everything was accepted
    await eventually(async () => (await admin.take(channel, 200)).length === 0, 5000);
  });
});
