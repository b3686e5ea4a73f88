import { catchError, NEVER, Observable } from 'rxjs';

/** How often one effect may fail and be subscribed again before it is left stopped. */
export const MAX_EFFECT_RESTARTS = 100;

/**
 * Keeps an effect alive through its own errors (as ngrx does): an error is reported and the
 * effect is subscribed again (its input is hot, so nothing is replayed), up to `maxRestarts`
 * times; then it stays stopped. Servers apply it to every effect they run.
 *
 * @example
 * ```ts
 * import { Subject, map } from 'rxjs';
 * import { resubscribeOnError } from '@tributary/core';
 * const input$ = new Subject<number>();
 * input$
 *   .pipe(
 *     map(n => { if (n < 0) throw new RangeError('negative'); return n; }),
 *     resubscribeOnError((error, stopped) => console.error(error.message, { stopped })),
 *   )
 *   .subscribe(n => console.log(n));
 * input$.next(1); input$.next(-1); input$.next(2); // 1, "negative", 2
 * ```
 * @param report - called with each error (always an `Error`) and whether the effect stops now
 * @param maxRestarts - how many failures are survived
 * @since 0.1.0
 * @category effects
 */
export const resubscribeOnError =
  <T>(report: (error: Error, stopped: boolean) => void, maxRestarts = MAX_EFFECT_RESTARTS) =>
  (source: Observable<T>): Observable<T> => {
    let restarts = 0;
    return source.pipe(
      catchError((error, caught) => {
        const stopped = ++restarts > maxRestarts;
        report(error instanceof Error ? error : new Error(String(error)), stopped);
        return stopped ? NEVER : caught;
      }),
    );
  };
