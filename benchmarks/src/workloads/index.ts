import type { Workload } from '../harness/types';
import { AMQP10_WORKLOADS } from './amqp10';
import { amqpEmit } from './amqpEmit';
import { amqpSendConcurrent } from './amqpSendConcurrent';
import { amqpSendSequential } from './amqpSendSequential';
import { localEmitBatches } from './localEmitBatches';
import { localEmitWindow } from './localEmitWindow';
import { localSendConcurrent } from './localSendConcurrent';
import { localSendSequential } from './localSendSequential';
import { KAFKA_WORKLOADS } from './kafka';
import { memoryAmqp } from './memoryAmqp';
import { memoryLocal } from './memoryLocal';
import { MQTT_WORKLOADS } from './mqtt';
import { NATS_WORKLOADS } from './nats';
import { redisEmit } from './redisEmit';
import { redisSendConcurrent } from './redisSendConcurrent';
import { redisSendSequential } from './redisSendSequential';
import { redisStreamsEmit } from './redisStreamsEmit';
import { SQS_WORKLOADS } from './sqs';

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
  ...KAFKA_WORKLOADS,
  ...NATS_WORKLOADS,
  ...MQTT_WORKLOADS,
  ...SQS_WORKLOADS,
  ...AMQP10_WORKLOADS,
  memoryLocal,
  memoryAmqp,
];
