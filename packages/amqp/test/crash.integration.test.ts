/**
 * A consumer process killed with SIGKILL in the middle of processing: its unacknowledged
 * message is redelivered by the broker to the surviving instance.
 *
 * How it runs: the crashing instance is a real child process (`node` on
 * fixtures/stuckConsumer.js) using the built packages (packages/*\/dist). `beforeAll` builds
 * them with `npx tsc -b packages/amqp` (incremental: quick when up to date). The surviving
 * instance runs in the test process.
 */
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { AMQP_URL, Admin, eventually, uniqueQueue } from './helpers/broker';
import { shareBroker } from './helpers/brokerLock';
import { Services } from './helpers/services';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'stuckConsumer.js');

type ChildReport = { ready?: true; started?: unknown; attempt?: number; error?: string };

describe('consumer crash (SIGKILL) mid-processing', () => {
  let admin: Admin;
  let release: () => void;
  let child: ChildProcess | undefined;
  const services = new Services();

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'packages/amqp'], { cwd: ROOT, timeout: 120_000 });
    release = await shareBroker();
    admin = await Admin.open();
  }, 240_000);

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await services.stopAll(admin);
  });

  afterAll(async () => {
    await admin?.close();
    release?.();
  });

  it('redelivers the killed instance’s unacknowledged message to the surviving instance', async () => {
    const queue = uniqueQueue('crash');
    services.options(queue);
    const reports: ChildReport[] = [];
    child = fork(FIXTURE, [queue, AMQP_URL], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: ChildReport) => reports.push(m));
    await eventually(() => reports.some(r => r.ready || r.error), 20_000);
    expect(reports.find(r => r.error)).toBeUndefined();

    const client = await services.client(queue);
    await client.emit({ type: 'Job', payload: 'order-42' });
    await eventually(() => reports.some(r => r.started === 'order-42'), 5000);

    // the survivor joins while the child holds the message unacknowledged
    const handled: Event[] = [];
    const job$: MsgEffect = event$ => event$.pipe(matchEvent('Job'), act(e => void handled.push(e)));
    await services.service(queue, { effects: [job$] });
    await eventually(async () => (await admin.inspect(queue))?.consumers === 2);
    expect(handled).toHaveLength(0);

    const exited = new Promise(resolve => child!.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    await eventually(() => handled.length === 1, 10_000);
    expect(handled[0]).toMatchObject({ type: 'Job', payload: 'order-42', metadata: { attempt: 2 } });
    expect(reports.filter(r => r.started !== undefined)).toEqual([{ started: 'order-42', attempt: 1 }]);
    await eventually(async () => (await admin.inspect(queue))?.consumers === 1);
  });
});
