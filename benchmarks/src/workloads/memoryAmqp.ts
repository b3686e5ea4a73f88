import { measureRpcMemory } from '../harness/memory';
import type { Workload } from '../harness/types';
import { amqpSystems, withAmqpSystem } from '../systems/amqp';

/** Heap after GC before/after 20,000 AMQP RPCs (100 in flight), and RSS. */
export const memoryAmqp: Workload = {
  id: 'memory-amqp-20k',
  group: 'memory',
  title: 'memory, 20,000 AMQP RPCs',
  metrics: [
    { key: 'growth', label: 'heap growth after GC, 20k AMQP RPCs', unit: 'MB', better: 'lower', ratio: false },
    { key: 'heapAfter', label: 'heap after GC, 20k AMQP RPCs', unit: 'MB', better: 'lower', ratio: false },
    { key: 'rss', label: 'RSS after 20k AMQP RPCs', unit: 'MB', better: 'lower', ratio: false },
  ],
  systems: amqpSystems({ tributary: 20_000, raw: 20_000, marble: 2_000, nest: 5_000, moleculer: 5_000 }),
  gc: true,
  retryOnce: true,
  usesRabbitMq: true,
  timeoutMs: 120_000,
  run: (systemId, { n, runs, tag }) => withAmqpSystem(systemId, tag, system => measureRpcMemory(system.send, n, runs, 60_000)),
};
