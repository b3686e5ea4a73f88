import { sendSequentialRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { SQS_ABSENT, sqsSystems, withSqsSystem } from '../../systems/sqs';

/** SQS: RPC over a reply queue, one call at a time; latency percentiles. */
export const sqsSendSequential: Workload = {
  id: 'sqs-send-sequential',
  group: 'sqs',
  title: 'SQS send, sequential',
  metrics: [
    { key: 'p50', label: 'SQS send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'SQS send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: sqsSystems({ tributary: 200, raw: 200 }),
  absent: SQS_ABSENT,
  timeoutMs: 120_000,
  run: (systemId, options) => withSqsSystem(systemId, options.tag, system => sendSequentialRuns(system, options, 20_000)),
};
