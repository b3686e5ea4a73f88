import { act, contextFactory, createEffectContext, Event, lookup, matchEvent, runEffects } from '@tributary/core';
import { map, tap } from 'rxjs';

const setup = async () => {
  const ask = lookup(await contextFactory());
  return createEffectContext({ ask, client: undefined });
};

describe('runEffects (the listener pipeline of messaging and WebSockets)', () => {
  it('runs middlewares, then effects, then output$, and sends what comes out', async () => {
    const sent: unknown[] = [];
    const seenByOutput: string[] = [];
    const running = runEffects({
      ctx: await setup(),
      middlewares: [e$ => e$.pipe(map((e: Event) => ({ ...e, payload: 'through middleware' })))],
      effects: [e$ => e$.pipe(matchEvent('Ping'), act(e => ({ type: 'Pong', payload: e.payload })))],
      output$: out$ => out$.pipe(tap((e: Event) => seenByOutput.push(e.type))),
      error$: error$ => error$.pipe(map(error => ({ type: 'Failed', error }))),
      address: e => ({ ...e, metadata: { replyTo: 'origin' } }),
      send: value => sent.push(value),
    });
    running.dispatch({ type: 'Ping' });
    expect(seenByOutput).toEqual(['Pong']);
    expect(sent).toEqual([{ type: 'Pong', payload: 'through middleware', metadata: { replyTo: 'origin' } }]);
    running.close();
  });

  it('isolates a failing effect: reported, its error sent through error$, restarted; the others never notice', async () => {
    const sent: Event[] = [];
    const failures: string[] = [];
    let calls = 0;
    const running = runEffects({
      ctx: await setup(),
      effects: [
        e$ => e$.pipe(tap(() => { if (++calls === 1) throw new TypeError('boom'); }), map(() => ({ type: 'FromFlaky' }))),
        function steady$(e$) { return e$.pipe(map(() => ({ type: 'FromSteady' }))); },
      ],
      output$: out$ => out$,
      error$: error$ => error$.pipe(map(error => ({ type: 'Failed', error: error.message }))),
      send: value => sent.push(value as Event),
      onEffectError: (error, name, stopped) => failures.push(`${name}:${error.message}:${stopped}`),
    });
    running.dispatch({ type: 'A' });
    running.dispatch({ type: 'B' });
    expect(failures).toEqual(['effects[0]:boom:false']);
    // the restarted effect subscribes again, after the steady one
    expect(sent.map(e => e.type)).toEqual(['Failed', 'FromSteady', 'FromSteady', 'FromFlaky']);
    running.reportError(new Error('undecodable'));
    expect(sent[sent.length - 1]).toEqual({ type: 'Failed', error: 'undecodable' });
    running.close();
    running.dispatch({ type: 'C' });
    expect(sent).toHaveLength(5); // closed: nothing runs
  });
});
