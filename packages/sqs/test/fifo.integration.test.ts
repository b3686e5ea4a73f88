/**
 * FIFO queues on ElasticMQ: instances of a service share the work per message group
 * (`metadata.key`), each message handled once, and per-key order holds across instances.
 */
import { randomBytes } from 'node:crypto';
import { act, bindEagerlyTo, contextFactory, createContextToken, lookup, matchEvent, useContext } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import type { SqsStrategyOptions } from '@tributary/sqs';
import { adminClient, CREDENTIALS, deleteQueues, REGION, SQS_URL } from './helpers/elasticmq';

const admin = adminClient();
const closers: Array<() => Promise<unknown>> = [];
const channel = `test-sqs-fifo-${randomBytes(4).toString('hex')}`;
const options: SqsStrategyOptions = { host: SQS_URL, channel, region: REGION, credentials: CREDENTIALS, fifo: true, visibilityTimeout: 2, waitTimeSeconds: 1, timeout: 5_000 };
const ClientToken = createContextToken<MessagingClient>('SqsFifoClient');

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await deleteQueues(admin, channel, true);
  admin.destroy();
});

it('FIFO: two instances share keyed events, each handled once, every key in order across both', async () => {
  const runs: Array<{ instance: string; key: string; n: number }> = [];
  const step =
    (instance: string): MsgEffect =>
    e$ =>
      e$.pipe(
        matchEvent('Step'),
        act(async e => {
          await new Promise(resolve => setTimeout(resolve, 10));
          runs.push({ instance, key: e.metadata!.key!, n: e.payload as number });
        }),
      );
  for (const instance of ['a', 'b']) {
    const microservice = await createMicroservice({ transport: Transport.SQS, options, listener: messagingListener({ effects: [step(instance)] }) });
    const connection = await microservice();
    closers.push(() => connection.close({ drainTimeout: 2_000 }));
  }
  const context = await contextFactory(bindEagerlyTo(ClientToken)(MessagingClient({ transport: Transport.SQS, options })));
  const client = useContext(ClientToken)(lookup(context));
  closers.push(() => client.close());

  const keys = Array.from({ length: 8 }, (_, k) => `account-${k}`);
  for (let n = 0; n < 5; n++) await Promise.all(keys.map(key => client.emit({ type: 'Step', payload: n, metadata: { key } })));
  const deadline = Date.now() + 20_000;
  while (runs.length < 40 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 25));
  expect(runs).toHaveLength(40);
  for (const key of keys) expect(runs.filter(run => run.key === key).map(run => run.n)).toEqual([0, 1, 2, 3, 4]);
  expect(new Set(runs.map(run => run.instance))).toEqual(new Set(['a', 'b']));
}, 30_000);
