import { startFibServer } from './server';
import { createWiring, transportFromArgs } from './wiring';

/** Runs the service alone (for a broker), until Ctrl-C; then drains and stops. */
const main = async () => {
  const name = transportFromArgs(process.argv);
  if (name === 'local') throw new Error('The in-process bus only reaches this process: use `npm start`, or --transport amqp | redis.');
  const connection = await startFibServer(createWiring(name));
  console.log(`fib-rpc serving on ${name}; Ctrl-C to stop`);
  const stop = () => {
    console.log('draining…');
    connection.close({ drainTimeout: 5000 }).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch(error => {
  console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
