import type { Workload } from '../../harness/types';
import { sqsEmit } from './sqsEmit';
import { sqsSendConcurrent } from './sqsSendConcurrent';
import { sqsSendSequential } from './sqsSendSequential';

/** The sqs workloads, in the order of the table (one file per workload beside this one). */
export const SQS_WORKLOADS: readonly Workload[] = [sqsEmit, sqsSendSequential, sqsSendConcurrent];
