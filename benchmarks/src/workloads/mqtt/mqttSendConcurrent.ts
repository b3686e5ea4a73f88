import { sendConcurrentRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, mqttSystems, withMqttSystem } from '../../systems/mqtt';

/** MQTT: RPC with 100 calls in flight; throughput. */
export const mqttSendConcurrent: Workload = {
  id: 'mqtt-send-100',
  group: 'mqtt',
  title: 'MQTT send, 100 in flight',
  metrics: [{ key: 'rate', label: 'MQTT send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: mqttSystems({ tributary: 10_000, raw: 10_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, options) => withMqttSystem(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 20_000)),
};
