import { createFibClient } from './client';
import { createWiring, transportFromArgs } from './wiring';

/** Asks a running service (see serve.ts): `node dist/ask.js --transport amqp 10 20 30`. */
const main = async () => {
  const name = transportFromArgs(process.argv);
  if (name === 'local') throw new Error('The in-process bus only reaches this process: use `npm start`, or --transport amqp | redis.');
  const numbers = process.argv.slice(2).filter((arg, i, all) => arg !== '--transport' && all[i - 1] !== '--transport');
  const client = await createFibClient(createWiring(name));
  try {
    for (const arg of numbers.length ? numbers : ['10']) {
      // what is not a number is sent as it is: the service says why it refuses it
      const n = arg.trim() !== '' && !Number.isNaN(Number(arg)) ? Number(arg) : arg;
      await client.fib(n as number).then(
        value => console.log(`F(${arg}) = ${value}`),
        (error: Error) => {
          console.log(`F(${arg}) ✘ ${error.name}: ${error.message}`);
          process.exitCode = 1;
        },
      );
    }
  } finally {
    await client.close();
  }
};

main().catch(error => {
  console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
