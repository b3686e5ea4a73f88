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
import { healthCases } from './health';
import { keyOrderCases } from './keyOrder';
import { versionCases } from './versions';
import { redriveCases } from './redrive';

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
  ['health', healthCases],
  ['per-key order', keyOrderCases],
  ['versions', versionCases],
  ['redrive', redriveCases],
];

/**
 * The delivery contract of Tributary as a jest suite, run against a transport and its real
 * broker: emit to competing instances, send / reply, publish fan-out, retry with backoff and
 * dead letters, unhandled and malformed messages, validation, manual ack, drain, headers,
 * output routing, persistence, a closed client, reconnection and `health()` through a fault hook, per-key
 * order, version upcasting and dead-letter redrive. Each case uses fresh channel names (`conf-<case>-<random>`)
 * and closes everything it opened. Cases whose capability the transport lacks are skipped,
 * with the reason in their title. Call it at the top level of a jest test file.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts of a transport package (here: the in-process transport)
 * import { describeTransportConformance } from '@tributary/testing/conformance';
 * import { LocalBroker, Transport } from '@tributary/messaging';
 *
 * const broker = new LocalBroker();
 * describeTransportConformance('local', {
 *   transport: Transport.LOCAL,
 *   serviceOptions: (channel, extra) => ({ channel, broker, ...extra }),
 *   capabilities: { faultInjection: false },
 *   reasons: { faultInjection: 'in-process: there is no connection to cut' },
 *   injectRaw: async (channel, bytes) => broker.enqueue(channel, { data: bytes }),
 *   readDeadLetters: async channel =>
 *     broker.getDeadLetters(channel).map(({ message, info }) => ({
 *       type: message.type,
 *       reason: info.reason,
 *       errorName: info.error?.name,
 *       errorMessage: info.error?.message,
 *       attempts: info.attempts,
 *       headers: message.headers ?? {},
 *     })),
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
