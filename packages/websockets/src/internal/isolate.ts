import { resubscribeOnError } from '@tributary/core';
import type { Observable } from 'rxjs';


export const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Keeps an effect alive through its own errors, naming it in the report (see `resubscribeOnError`). */
export const isolate = <T>(
  name: string,
  stream$: Observable<T>,
  report: (error: Error, name: string, stopped: boolean) => void,
): Observable<T> => stream$.pipe(resubscribeOnError((error, stopped) => report(error, name, stopped)));
