import { sendConcurrentRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { SQS_ABSENT, sqsSystems, withSqsSystem } from '../../systems/sqs';

/** SQS: RPC over a reply queue with 100 calls in flight; throughput. */
export const sqsSendConcurrent: Workload = {
  id: 'sqs-send-concurrent',
  group: 'sqs',
  title: 'SQS send, 100 in flight',
  metrics: [{ key: 'rate', label: 'SQS send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: sqsSystems({ tributary: 2_000, raw: 2_000 }),
  absent: SQS_ABSENT,
  timeoutMs: 120_000,
  run: (systemId, options) => withSqsSystem(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 20_000)),
};
