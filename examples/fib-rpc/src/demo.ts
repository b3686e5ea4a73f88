import { createFibClient } from './client';
import { startFibServer } from './server';
import type { Wiring } from './wiring';

/** What the demo asks: good requests, then ones the service refuses. */
export const DEMO_REQUESTS: readonly unknown[] = [10, 90, 1000, -1, 2.5, 'ten', 20_000];

export type DemoLine = { n: unknown; value: string } | { n: unknown; error: string };

const shorten = (value: string) => (value.length > 24 ? `${value.slice(0, 12)}…${value.slice(-6)} (${value.length} digits)` : value);

/** Starts the service and a client on the wiring's transport, asks, prints, shuts down. */
export const runDemo = async (wiring: Wiring, print = true): Promise<DemoLine[]> => {
  const server = await startFibServer(wiring);
  const client = await createFibClient(wiring);
  const lines: DemoLine[] = [];
  try {
    for (const n of DEMO_REQUESTS) {
      // the client is typed for numbers; a caller in another language may send anything
      const line: DemoLine = await client.fib(n as number).then(
        value => ({ n, value }),
        (error: Error) => ({ n, error: `${error.name}: ${error.message}` }),
      );
      lines.push(line);
      if (print) {
        const label = `F(${JSON.stringify(n)})`.padEnd(10);
        console.log('value' in line ? `  ${label} = ${shorten(line.value)}` : `  ${label} ✘ ${line.error}`);
      }
    }
  } finally {
    await client.close();
    await server.close({ drainTimeout: 2000 });
  }
  return lines;
};
