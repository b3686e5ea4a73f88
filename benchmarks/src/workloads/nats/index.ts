import type { Workload } from '../../harness/types';

/** The nats workloads, in the order of the table (one file per workload beside this one). */
export const NATS_WORKLOADS: readonly Workload[] = [];
