/**
 * The chaos run of NATS JetStream (issue 19): emits while the connection is cut, the consumer SIGKILLed,
 * a poison and a malformed message injected; no resolved emit may be lost.
 * `npm run chaos` runs it at full size (CHAOS_EMITS=5000), `npm test` at 500.
 */
import { chaosFindings, formatChaosTable, runChaos } from '@tributary/testing/conformance';
import { natsConformanceSetup } from './conformanceSetup';

const setup = natsConformanceSetup();
const emits = Number(process.env.CHAOS_EMITS ?? 500);

test(`chaos: ${emits} emits through a cut, a consumer SIGKILL, a poison and a malformed message lose nothing`, async () => {
  const report = await runChaos('NATS JetStream', setup, { emits, consumerOptions: { ackWait: 3_000 } });
  process.stdout.write(`\n${formatChaosTable([report])}\n`);
  expect(report.lost).toBe(0);
  expect(report.processed).toBeGreaterThanOrEqual(report.resolved);
  expect(chaosFindings(report)).toEqual([]);
}, 180_000);
