/**
 * One consumer instance of the scale benchmark, in its own process: a Tributary microservice
 * on the cell's queue (AMQP) or stream (Redis streams) that records, per `OrderPlaced`, the
 * time from emit to processing, and reports them to the parent every 50 ms.
 */
import { performance } from 'node:perf_hooks';
import { act, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener } from '@tributary/messaging';
import { EMPTY } from 'rxjs';
import { scaleTransport } from './transports';

const [target, tag] = process.argv.slice(2);

const main = async (): Promise<void> => {
  const { transport, options } = scaleTransport(target, tag);
  let latencies: number[] = [];
  const record = (event: any) => {
    latencies.push(performance.timeOrigin + performance.now() - event.payload.sentAt);
    return EMPTY;
  };
  const listener = messagingListener({ effects: [(event$: any) => event$.pipe(matchEvent('OrderPlaced'), act(record))] as any });
  const microservice = await createMicroservice({ transport, options, listener });
  const connection = await microservice();
  const flush = setInterval(() => {
    if (latencies.length === 0) return;
    process.send!({ kind: 'latencies', latencies });
    latencies = [];
  }, 50);
  process.on('message', async (message: { kind: string }) => {
    if (message.kind !== 'stop') return;
    clearInterval(flush);
    await connection.close({ drainTimeout: 2000 }).catch(() => undefined);
    process.send!({ kind: 'stopped' }, () => process.exit(0));
  });
  process.send!({ kind: 'ready' });
};

main().catch(error => {
  process.send!({ kind: 'error', message: String((error as Error)?.stack ?? error) });
});
