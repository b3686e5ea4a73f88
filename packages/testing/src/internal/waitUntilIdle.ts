import type { MicroserviceConnection } from '@tributary/messaging';
import type { TestBroker } from './TestBroker';

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Quiet checks in a row, each after a turn of the event loop, before calling the bed idle. */
const QUIET_TURNS = 3;

/**
 * Resolves once every service has nothing in flight, nothing queued on its channel and no
 * retry pending, for a few turns of the event loop in a row (replies and outputs travel in
 * microtasks and promise callbacks).
 */
export const waitUntilIdle = async (
  services: ReadonlyArray<{ readonly connection: MicroserviceConnection; readonly channel: string }>,
  broker: TestBroker,
  timeout: number,
): Promise<void> => {
  const deadline = Date.now() + timeout;
  const inFlight = () => services.reduce((n, s) => n + s.connection.inFlight, 0);
  const queued = () => services.reduce((n, s) => n + broker.depth(s.channel), 0);
  const busy = () => inFlight() > 0 || queued() > 0 || broker.pendingRedeliveries > 0;
  for (let quiet = 0; quiet < QUIET_TURNS; ) {
    if (busy()) {
      quiet = 0;
      if (Date.now() > deadline) {
        throw new Error(
          `The test bed did not become idle within ${timeout} ms: ${inFlight()} event(s) in flight, ` +
            `${queued()} queued, ${broker.pendingRedeliveries} retry(ies) pending. ` +
            'Is an effect waiting on something that never comes (a promise, a reply, a timer)?',
        );
      }
      await sleep(1);
    } else {
      quiet++;
      await nextTurn();
    }
  }
};
