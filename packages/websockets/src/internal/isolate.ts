import { catchError, NEVER, Observable } from 'rxjs';

/** How often one effect of one connection may fail and be restarted before it is left stopped. */
export const MAX_EFFECT_RESTARTS = 100;

export const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Keeps an effect alive through its own errors: the error is reported and the effect is
 * subscribed again (its input is hot, so nothing is replayed), up to MAX_EFFECT_RESTARTS.
 */
export const isolate = <T>(
  name: string,
  stream$: Observable<T>,
  report: (error: Error, name: string, stopped: boolean) => void,
): Observable<T> => {
  let restarts = 0;
  return stream$.pipe(
    catchError((error, caught) => {
      const stopped = ++restarts > MAX_EFFECT_RESTARTS;
      report(toError(error), name, stopped);
      return stopped ? NEVER : caught;
    }),
  );
};
