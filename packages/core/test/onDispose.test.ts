import { bindEagerlyTo, bindTo, contextFactory, createContextToken, disposeContext, onDispose } from '@tributary/core';

describe('onDispose / disposeContext', () => {
  test('closes the built values of disposable bindings, last registered first, once; leaves the others and never builds a lazy one', async () => {
    const calls: string[] = [];
    const A = createContextToken<{ close(): void }>('A');
    const B = createContextToken<{ name: string }>('B');
    const C = createContextToken<number>('C');
    const Lazy = createContextToken<{ close(): void }>('Lazy');
    let built = 0;
    const context = await contextFactory(
      onDispose(bindEagerlyTo(A)({ close: () => void calls.push('A.close') })),
      onDispose(bindEagerlyTo(B)(async () => ({ name: 'b' })), value => void calls.push(`B:${value.name}`)),
      bindEagerlyTo(C)(3),
      onDispose(
        bindTo(Lazy)(() => {
          built++;
          return { close: () => void calls.push('Lazy.close') };
        }),
      ),
    );
    await disposeContext(context);
    await disposeContext(context);
    expect(calls).toEqual(['B:b', 'A.close']);
    expect(built).toBe(0);
  });

  test('runs every disposer even when one fails, then throws them together', async () => {
    const calls: string[] = [];
    const A = createContextToken<string>('A');
    const B = createContextToken<string>('B');
    const context = await contextFactory(
      onDispose(bindEagerlyTo(A)('a'), () => void calls.push('A')),
      onDispose(bindEagerlyTo(B)('b'), () => {
        throw new Error('B failed');
      }),
    );
    const error = await disposeContext(context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map(e => (e as Error).message)).toEqual(['B failed']);
    expect(calls).toEqual(['A']);
  });
});
