import { emitRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { SQS_ABSENT, sqsSystems, withSqsSystem } from '../../systems/sqs';

/** SQS: emit (SendMessageBatch), 100 outstanding, counted at the consumer (deleted after processing). */
export const sqsEmit: Workload = {
  id: 'sqs-emit',
  group: 'sqs',
  title: 'SQS emit, counted at the consumer',
  metrics: [{ key: 'rate', label: 'SQS emit, 100 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: sqsSystems({ tributary: 3_000, raw: 3_000 }),
  absent: SQS_ABSENT,
  timeoutMs: 120_000,
  run: (systemId, options) => withSqsSystem(systemId, options.tag, system => emitRuns(system, options, 100, 20_000)),
};
