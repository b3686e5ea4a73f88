import type { Workload } from '../../harness/types';
import { amqp10Emit } from './amqp10Emit';
import { amqp10SendConcurrent } from './amqp10SendConcurrent';
import { amqp10SendSequential } from './amqp10SendSequential';

/** The amqp10 workloads, in the order of the table (one file per workload beside this one). */
export const AMQP10_WORKLOADS: readonly Workload[] = [amqp10Emit, amqp10SendSequential, amqp10SendConcurrent];
