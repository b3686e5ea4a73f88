import type { Workload } from '../../harness/types';

/** The sqs workloads, in the order of the table (one file per workload beside this one). */
export const SQS_WORKLOADS: readonly Workload[] = [];
