import type { Workload } from '../../harness/types';
import { mqttEmit } from './mqttEmit';
import { mqttSendConcurrent } from './mqttSendConcurrent';
import { mqttSendSequential } from './mqttSendSequential';

/** The mqtt workloads, in the order of the table (one file per workload beside this one). */
export const MQTT_WORKLOADS: readonly Workload[] = [mqttEmit, mqttSendSequential, mqttSendConcurrent];
