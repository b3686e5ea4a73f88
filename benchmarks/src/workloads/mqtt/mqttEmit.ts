import { emitWithWindow, repeat } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, mqttSystems, withMqttSystem } from '../../systems/mqtt';

/** MQTT: emit, 1000 outstanding, each awaited as the system's emit resolves; counted at the consumer. */
export const mqttEmit: Workload = {
  id: 'mqtt-emit',
  group: 'mqtt',
  title: 'MQTT emit, counted at the consumer',
  metrics: [{ key: 'rate', label: 'MQTT emit, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: mqttSystems({ tributary: 10_000, raw: 10_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, { n, runs, tag }) =>
    withMqttSystem(systemId, tag, system =>
      repeat(
        runs,
        () => emitWithWindow(system.emit, Math.ceil(n / 10), 1000, 15_000),
        () => emitWithWindow(system.emit, n, 1000, 15_000),
      ),
    ),
};
