import { sendSequentialRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, mqttSystems, withMqttSystem } from '../../systems/mqtt';

/**
 * MQTT: RPC one call at a time; latency percentiles. 300 calls a run: on a Mosquitto without
 * `set_tcp_nodelay true` (its default) every call waits ~40 ms per hop on delayed ACKs, and
 * 300 calls still fit the deadline there.
 */
export const mqttSendSequential: Workload = {
  id: 'mqtt-send-sequential',
  group: 'mqtt',
  title: 'MQTT send, sequential',
  metrics: [
    { key: 'p50', label: 'MQTT send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'MQTT send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: mqttSystems({ tributary: 300, raw: 300 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 150_000,
  run: (systemId, options) => withMqttSystem(systemId, options.tag, system => sendSequentialRuns(system, options, 40_000)),
};
