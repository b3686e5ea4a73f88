import type { Workload } from '../../harness/types';
import { natsEmit } from './natsEmit';
import { natsSendConcurrent } from './natsSendConcurrent';
import { natsSendSequential } from './natsSendSequential';

/** The nats workloads, in the order of the table (one file per workload beside this one). */
export const NATS_WORKLOADS: readonly Workload[] = [natsEmit, natsSendSequential, natsSendConcurrent];
