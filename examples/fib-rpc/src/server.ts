import { bindTo, createLogger, LoggerToken } from '@tributary/core';
import { createMicroservice, MicroserviceConnection } from '@tributary/messaging';
import { listener } from './listener';
import type { Wiring } from './wiring';

/** Starts the Fibonacci service on the wiring's transport; resolves once it consumes. */
export const startFibServer = async (wiring: Wiring): Promise<MicroserviceConnection> => {
  const microservice = await createMicroservice({
    transport: wiring.transport,
    options: wiring.server,
    listener,
    dependencies: [bindTo(LoggerToken)(() => createLogger({ level: 'warn' }))],
  });
  return microservice();
};
