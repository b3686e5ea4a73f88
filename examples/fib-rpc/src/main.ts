import { runDemo } from './demo';
import { createWiring, transportFromArgs } from './wiring';

const main = async () => {
  const wiring = createWiring(transportFromArgs(process.argv));
  console.log(`Tributary fib-rpc on ${wiring.name === 'local' ? 'the in-process bus' : wiring.name === 'amqp' ? 'RabbitMQ' : 'Redis'}\n`);
  await runDemo(wiring);
  console.log('\n✔ done: replies, validation errors and refusals all came back as replies.');
};

main().catch(error => {
  console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
