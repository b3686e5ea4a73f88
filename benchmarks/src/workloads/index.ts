import type { Workload } from '../harness/types';
import { amqpEmit } from './amqpEmit';
import { amqpSendConcurrent } from './amqpSendConcurrent';
import { amqpSendSequential } from './amqpSendSequential';
import { localEmitBatches } from './localEmitBatches';
import { localEmitWindow } from './localEmitWindow';
import { localSendConcurrent } from './localSendConcurrent';
import { localSendSequential } from './localSendSequential';
import { memoryAmqp } from './memoryAmqp';
import { memoryLocal } from './memoryLocal';
import { redisEmit } from './redisEmit';
import { redisSendConcurrent } from './redisSendConcurrent';
import { redisSendSequential } from './redisSendSequential';
import { redisStreamsEmit } from './redisStreamsEmit';

/** Every workload, in the order of the table. */
export const WORKLOADS: readonly Workload[] = [
  localEmitBatches,
  localEmitWindow,
  localSendSequential,
  localSendConcurrent,
  amqpEmit,
  amqpSendSequential,
  amqpSendConcurrent,
  redisEmit,
  redisSendSequential,
  redisSendConcurrent,
  redisStreamsEmit,
  memoryLocal,
  memoryAmqp,
];
