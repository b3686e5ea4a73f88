import type { Workload } from '../../harness/types';
import { kafkaConsume } from './consume';
import { kafkaEmit } from './emit';
import { kafkaSendConcurrent } from './sendConcurrent';
import { kafkaSendSequential } from './sendSequential';

/** The kafka workloads, in the order of the table (one file per workload beside this one). */
export const KAFKA_WORKLOADS: readonly Workload[] = [kafkaEmit, kafkaSendSequential, kafkaSendConcurrent, kafkaConsume];
