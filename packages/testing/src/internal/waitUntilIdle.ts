import type { MicroserviceConnection } from '@tributary/messaging';
import type { TestBroker } from './TestBroker';

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Quiet checks in a row, each after a turn of the event loop, before calling the bed idle. */
const QUIET_TURNS = 3;

/**
 * Resolves once the service has nothing in flight, nothing queued on its channel and no
 * retry pending, for a few turns of the event loop in a row (replies and outputs travel in
 * microtasks and promise callbacks).
 */
export const waitUntilIdle = async (
  connection: MicroserviceConnection,
  broker: TestBroker,
  channel: string,
  timeout: number,
): Promise<void> => {
  const deadline = Date.now() + timeout;
  const busy = () => connection.inFlight > 0 || broker.depth(channel) > 0 || broker.pendingRedeliveries > 0;
  for (let quiet = 0; quiet < QUIET_TURNS; ) {
    if (busy()) {
      quiet = 0;
      if (Date.now() > deadline) {
        throw new Error(
          `The test bed did not become idle within ${timeout} ms: ${connection.inFlight} event(s) in flight, ` +
            `${broker.depth(channel)} queued, ${broker.pendingRedeliveries} retry(ies) pending. ` +
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
