import { runOrderFlow } from './app';
import type { TransportName } from './wiring';

const arg = process.argv.indexOf('--transport');
const transport = (arg >= 0 ? process.argv[arg + 1] : 'local') as TransportName;
if (!['local', 'amqp', 'redis', 'nats', 'mqtt'].includes(transport)) {
  console.error(`Unknown transport "${transport}". Use --transport local | amqp | redis | nats | mqtt.`);
  process.exit(2);
}

console.log(`Tributary order flow on the ${transport === 'local' ? 'in-process bus' : transport} transport\n`);
runOrderFlow(transport).then(
  ({ accepted }) => {
    console.log(`\n✔ ${accepted.length} orders placed; every customer was notified.`);
  },
  error => {
    console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
