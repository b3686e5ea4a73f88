import { map, Subject } from 'rxjs';
import { resubscribeOnError } from '@tributary/core';

describe('resubscribeOnError', () => {
  it('reports each error and keeps the effect running on its hot input, up to maxRestarts', () => {
    const input$ = new Subject<number>();
    const seen: number[] = [];
    const reports: Array<[string, boolean]> = [];
    input$
      .pipe(
        map(n => {
          if (n < 0) throw new RangeError(`negative ${n}`);
          return n;
        }),
        resubscribeOnError((error, stopped) => reports.push([error.message, stopped]), 2),
      )
      .subscribe(n => seen.push(n));
    [1, -1, 2, -2, 3, -3, 4].forEach(n => input$.next(n));
    expect(seen).toEqual([1, 2, 3]); // stopped after the third failure
    expect(reports).toEqual([
      ['negative -1', false],
      ['negative -2', false],
      ['negative -3', true],
    ]);
  });

  it('turns non-Error throws into Errors', () => {
    const input$ = new Subject<void>();
    const errors: Error[] = [];
    input$
      .pipe(
        map(() => {
          throw 'plain string';
        }),
        resubscribeOnError(error => errors.push(error)),
      )
      .subscribe();
    input$.next();
    expect(errors[0]).toBeInstanceOf(Error);
    expect(errors[0].message).toBe('plain string');
  });
});
