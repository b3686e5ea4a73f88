/**
 * The chaos run of Redis streams (issue 19): emits while the connection is cut, the consumer
 * SIGKILLed, a poison and a malformed message injected; no resolved emit may be lost.
 * `npm run chaos` runs it at full size (CHAOS_EMITS=5000), `npm test` at 500.
 */
import { chaosFindings, formatChaosTable, runChaos } from '@tributary/testing/conformance';
import { redisConformanceSetup } from './conformanceSetup';

const { setup, close } = redisConformanceSetup('streams');
const emits = Number(process.env.CHAOS_EMITS ?? 500);
afterAll(close);

test(`chaos: ${emits} emits through a cut, a consumer SIGKILL, a poison and a malformed message lose nothing`, async () => {
  const report = await runChaos('Redis streams', setup, { emits });
  process.stdout.write(`\n${formatChaosTable([report])}\n`);
  expect(report.lost).toBe(0);
  expect(report.processed).toBeGreaterThanOrEqual(report.resolved);
  expect(chaosFindings(report)).toEqual([]);
}, 180_000);

test('chaos self-check: a consumer that acknowledges before the work loses messages, and the run reports it', async () => {
  const report = await runChaos('Redis streams (lossy self-check)', setup, { emits: 300, consumer: 'lossy', settleTimeout: 5_000 });
  process.stdout.write(`\n${formatChaosTable([report])}\n`);
  expect(report.lost).toBeGreaterThan(0);
}, 120_000);
