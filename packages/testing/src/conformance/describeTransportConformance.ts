import type { TransportConformanceSetup } from './TransportConformanceSetup';
import { ConformanceKit } from './internal/ConformanceKit';
import { jestApi } from './internal/jest';
import { emitCases } from './emit';
import { sendCases } from './send';
import { publishCases } from './publish';
import { retryCases } from './retry';
import { unhandledCases } from './unhandled';
import { malformedCases } from './malformed';
import { validationCases } from './validation';
import { manualAckCases } from './manualAck';
import { drainCases } from './drain';
import { headersCases } from './headers';
import { outputCases } from './output';
import { persistenceCases } from './persistence';
import { closedClientCases } from './closedClient';
import { reconnectCases } from './reconnect';
import { keyOrderCases } from './keyOrder';
import { versionCases } from './versions';

/** The case groups, in the order they run: one file each. */
const GROUPS: Array<[title: string, register: (kit: ConformanceKit) => void]> = [
  ['emit', emitCases],
  ['send', sendCases],
  ['publish', publishCases],
  ['retry and dead letters', retryCases],
  ['unhandled events', unhandledCases],
  ['malformed messages', malformedCases],
  ['validation', validationCases],
  ['manual acknowledgement', manualAckCases],
  ['drain on close', drainCases],
  ['headers', headersCases],
  ['output routing', outputCases],
  ['persistence', persistenceCases],
  ['closed client', closedClientCases],
  ['reconnection', reconnectCases],
  ['per-key order', keyOrderCases],
  ['versions', versionCases],
];

/**
 * The delivery contract of Tributary as a jest suite, run against a transport and its real
 * broker: emit to competing instances, send / reply, publish fan-out, retry with backoff and
 * dead letters, unhandled and malformed messages, validation, manual ack, drain, headers,
 * output routing, persistence, a closed client, reconnection through a fault hook, per-key
 * order and version upcasting. Each case uses fresh channel names (`conf-<case>-<random>`)
 * and closes everything it opened. Cases whose capability the transport lacks are skipped,
 * with the reason in their title. Call it at the top level of a jest test file.
 *
 * @example
 * ```ts
 * import { createTcpProxy, describeTransportConformance } from '@tributary/testing/conformance';
 * import { Transport } from '@tributary/messaging';
 *
 * const host = (port = 5672) => `amqp://guest:guest@127.0.0.1:${port}`;
 * describeTransportConformance('AMQP', {
 *   transport: Transport.AMQP,
 *   serviceOptions: (queue, extra) => ({ host: host(), queue, ...extra }),
 *   injectRaw: async (queue, bytes) => { ... },       // publish bytes with a raw client
 *   readDeadLetters: async queue => [...],             // read `<queue>.dead-letter`
 *   fault: async () => {
 *     const proxy = await createTcpProxy({ port: 5672 });
 *     return { options: { host: host(proxy.port) }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
 *   },
 *   cleanup: async queues => { ... },                  // delete the queues
 * });
 * ```
 * @param name - the transport's name, in the suite's title
 * @param setup - how to reach the transport and its broker
 * @since 0.2.0
 * @category conformance
 */
export const describeTransportConformance = (name: string, setup: TransportConformanceSetup): void => {
  const jest = jestApi();
  const kit = new ConformanceKit(name, setup, jest);
  jest.describe(`${name}: transport conformance`, () => {
    jest.afterEach(() => kit.closeCurrent(), kit.timeoutMs);
    for (const [title, register] of GROUPS) jest.describe(title, () => register(kit));
  });
};
