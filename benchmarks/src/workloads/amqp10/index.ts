import type { Workload } from '../../harness/types';

/** The amqp10 workloads, in the order of the table (one file per workload beside this one). */
export const AMQP10_WORKLOADS: readonly Workload[] = [];
