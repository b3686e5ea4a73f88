import { repeat, sendSequentially } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, mqttSystems, withMqttSystem } from '../../systems/mqtt';

/** MQTT: RPC one call at a time; latency percentiles. */
export const mqttSendSequential: Workload = {
  id: 'mqtt-send-sequential',
  group: 'mqtt',
  title: 'MQTT send, sequential',
  metrics: [
    { key: 'p50', label: 'MQTT send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'MQTT send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: mqttSystems({ tributary: 2_000, raw: 2_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, { n, runs, tag }) =>
    withMqttSystem(systemId, tag, system =>
      repeat(
        runs,
        () => sendSequentially(system.send, Math.ceil(n / 10), 20_000),
        () => sendSequentially(system.send, n, 20_000),
      ),
    ),
};
