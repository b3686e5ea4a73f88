import { emitRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, mqttSystems, withMqttSystem } from '../../systems/mqtt';

/**
 * MQTT: emit, 100 outstanding, each awaited as the system's emit resolves; counted at the
 * consumer. 100, not 1000 as on the other brokers: Mosquitto keeps at most 1000 messages
 * queued per session (`max_queued_messages`, its default) and drops QoS 1 messages past that
 * after acknowledging them to the publisher, so a burst of 1000 lost events of raw mqtt.js.
 */
export const mqttEmit: Workload = {
  id: 'mqtt-emit',
  group: 'mqtt',
  title: 'MQTT emit, counted at the consumer',
  metrics: [{ key: 'rate', label: 'MQTT emit, 100 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: mqttSystems({ tributary: 10_000, raw: 10_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, options) => withMqttSystem(systemId, options.tag, system => emitRuns(system, options, 100, 15_000)),
};
