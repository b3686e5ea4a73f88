import type { Workload } from '../../harness/types';

/** The kafka workloads, in the order of the table (one file per workload beside this one). */
export const KAFKA_WORKLOADS: readonly Workload[] = [];
