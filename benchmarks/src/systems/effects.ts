import { act, matchEvent } from '@tributary/core';
import { messagingListener, MsgEffect, reply } from '@tributary/messaging';
import * as M from '@marblejs/core';
import * as MM from '@marblejs/messaging';
import { EMPTY, of } from 'rxjs';
import type { Counter } from '../harness/drive';

/** `send` timeout of every system, ms (a call not answered by then counts as timed out). */
export const SEND_TIMEOUT = 5_000;

/**
 * The effects every framework runs, written once: count `OrderPlaced`, answer `Ping` with
 * `Pong` (echoing the payload). Tributary runs Marble.js code unchanged but for imports.
 */
const effects = <E>(counter: Counter, ops: { act: any; matchEvent: any; reply: any }): E[] => {
  const count$ = (event$: any) =>
    event$.pipe(
      ops.matchEvent('OrderPlaced'),
      ops.act(() => {
        counter.hit();
        return EMPTY;
      }),
    );
  const pong$ = (event$: any) =>
    event$.pipe(
      ops.matchEvent('Ping'),
      ops.act((event: any) => of(ops.reply(event)({ type: 'Pong', payload: event.payload }))),
    );
  return [count$, pong$] as unknown as E[];
};

/** The benchmark service as a Tributary listener. */
export const tributaryListener = (counter: Counter) => messagingListener({ effects: effects<MsgEffect>(counter, { act, matchEvent, reply }) });

/** The same service as a Marble.js 4.1.0 listener. */
export const marbleListener = (counter: Counter) =>
  MM.messagingListener({ effects: effects<MM.MsgEffect>(counter, { act: M.act, matchEvent: M.matchEvent, reply: MM.reply }) });

/** Marble.js's default logger prints every event; the benchmark silences it (Marble gets faster). */
export const marbleQuietLogger = M.bindTo(M.LoggerToken)(M.mockLogger);
