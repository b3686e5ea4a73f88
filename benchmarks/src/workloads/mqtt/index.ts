import type { Workload } from '../../harness/types';

/** The mqtt workloads, in the order of the table (one file per workload beside this one). */
export const MQTT_WORKLOADS: readonly Workload[] = [];
