import { traceOneOrder } from './app';

// the trace of one order: client → orders → payments (publish) → shipping
traceOneOrder().then(
  lines => console.log(lines.join('\n')),
  error => {
    console.error(error);
    process.exitCode = 1;
  },
);
