import { act, EventError, eventValidator$, matchEvent } from '@tributary/core';
import { MsgEffect, reply } from '@tributary/messaging';
import { Fib, FibResult, MAX_N } from './events';
import { fib } from './fib';

/**
 * Answers `Fib` with `FibResult`. A request that fails validation gets an `EventError` reply
 * naming the bad field; one asking for too much gets an `EventError` with `{ n, max }`.
 */
export const fib$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent(Fib),
    act(eventValidator$(Fib)),
    act(event => {
      const { n } = event.payload;
      if (n > MAX_N) throw new EventError(event, `F(${n}) is too large to compute here: n must be at most ${MAX_N}`, { n, max: MAX_N });
      return reply(event)(FibResult.create({ n, value: fib(n).toString() }));
    }),
  );
