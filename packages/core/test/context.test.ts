import * as O from 'fp-ts/Option';
import {
  bindEagerlyTo,
  bindLazilyTo,
  bindTo,
  constructContext,
  ContextError,
  contextFactory,
  createContext,
  createContextToken,
  createReader,
  isCoreError,
  lookup,
  reader,
  register,
  registerAll,
  resolve,
  unregister,
  useContext,
  useContextAsync,
} from '@tributary/core';

const tick = (ms = 5) => new Promise(r => setTimeout(r, ms));
const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('context', () => {
  test('plain values can be bound with bindTo, bindLazilyTo and bindEagerlyTo', async () => {
    const Port = createContextToken<number>('Port');
    const Host = createContextToken<string>('Host');
    const Config = createContextToken<{ debug: boolean }>('Config');
    const context = await contextFactory(bindTo(Port)(8080), bindLazilyTo(Host)('localhost'), bindEagerlyTo(Config)({ debug: true }));
    const ask = lookup(context);
    expect(ask(Port)).toEqual(O.some(8080));
    expect(useContext(Host)(ask)).toBe('localhost');
    expect(useContext(Config)(ask)).toEqual({ debug: true });
  });

  test('falsy plain values are bound as they are', async () => {
    const Zero = createContextToken<number>('Zero');
    const Empty = createContextToken<string>('Empty');
    const Nothing = createContextToken<null>('Nothing');
    const ask = lookup(await contextFactory(bindTo(Zero)(0), bindTo(Empty)(''), bindTo(Nothing)(null)));
    expect(ask(Zero)).toEqual(O.some(0));
    expect(ask(Empty)).toEqual(O.some(''));
    expect(ask(Nothing)).toEqual(O.some(null));
  });

  test('lookup gives none for an unbound token', async () => {
    expect(lookup(await contextFactory())(createContextToken('Missing'))).toEqual(O.none);
  });

  test('a lazy binding is built on first use, once', async () => {
    const Clock = createContextToken<{ now: () => number }>('Clock');
    const build = jest.fn(() => ({ now: () => 42 }));
    const context = await contextFactory(bindLazilyTo(Clock)(createReader(build)));
    expect(build).not.toHaveBeenCalled();
    const ask = lookup(context);
    const first = useContext(Clock)(ask);
    const second = useContext(Clock)(ask);
    expect(build).toHaveBeenCalledTimes(1);
    expect(first).toBe(second);
    expect(first.now()).toBe(42);
  });

  test('bindTo is lazy', async () => {
    const Token = createContextToken<number>('Token');
    const build = jest.fn(() => 1);
    const ask = lookup(await contextFactory(bindTo(Token)(build)));
    expect(build).not.toHaveBeenCalled();
    expect(useContext(Token)(ask)).toBe(1);
    expect(build).toHaveBeenCalledTimes(1);
  });

  test('an eager binding is built by contextFactory, once', async () => {
    const Db = createContextToken<{ id: number }>('Db');
    const build = jest.fn(() => ({ id: 1 }));
    const context = await contextFactory(bindEagerlyTo(Db)(createReader(build)));
    expect(build).toHaveBeenCalledTimes(1);
    useContext(Db)(lookup(context));
    useContext(Db)(lookup(context));
    expect(build).toHaveBeenCalledTimes(1);
  });

  test('an eager async reader is awaited by contextFactory', async () => {
    const Db = createContextToken<{ connected: boolean }>('Db');
    const context = await contextFactory(
      bindEagerlyTo(Db)(
        createReader(async () => {
          await tick();
          return { connected: true };
        }),
      ),
    );
    expect(useContext(Db)(lookup(context))).toEqual({ connected: true });
  });

  test('an eager async reader needing an eager async one bound after it waits for it', async () => {
    const Url = createContextToken<string>('Url');
    const Connection = createContextToken<{ url: string }>('Connection');
    const Repository = createContextToken<{ connection: { url: string } }>('Repository');
    const order: string[] = [];
    const context = await contextFactory(
      bindEagerlyTo(Repository)(
        createReader(async ask => {
          const connection = useContext(Connection)(ask);
          order.push('repository');
          return { connection };
        }),
      ),
      bindEagerlyTo(Connection)(
        createReader(async ask => {
          const url = useContext(Url)(ask);
          await tick();
          order.push('connection');
          return { url };
        }),
      ),
      bindTo(Url)('amqp://127.0.0.1'),
    );
    const ask = lookup(context);
    expect(useContext(Repository)(ask).connection).toBe(useContext(Connection)(ask));
    expect(useContext(Repository)(ask)).toEqual({ connection: { url: 'amqp://127.0.0.1' } });
    expect(order).toEqual(['connection', 'repository']);
  });

  test('an async reader that awaits before asking for a dependency still resolves', async () => {
    const A = createContextToken<string>('A');
    const B = createContextToken<string>('B');
    const context = await contextFactory(
      bindEagerlyTo(A)(
        createReader(async ask => {
          await tick(1);
          return `a+${useContext(B)(ask)}`;
        }),
      ),
      bindEagerlyTo(B)(
        createReader(async () => {
          await tick(10);
          return 'b';
        }),
      ),
    );
    expect(useContext(A)(lookup(context))).toBe('a+b');
  });

  test('a lazy async reader needed by an eager one is awaited', async () => {
    const Secret = createContextToken<string>('Secret');
    const Service = createContextToken<{ secret: string }>('Service');
    const secretReader = jest.fn(async () => {
      await tick();
      return 's3cr3t';
    });
    const context = await contextFactory(
      bindEagerlyTo(Service)(createReader(ask => ({ secret: useContext(Secret)(ask) }))),
      bindLazilyTo(Secret)(createReader(secretReader)),
    );
    const ask = lookup(context);
    expect(useContext(Service)(ask)).toEqual({ secret: 's3cr3t' });
    expect(useContext(Secret)(ask)).toBe('s3cr3t');
    expect(secretReader).toHaveBeenCalledTimes(1);
  });

  test('a lazy async reader first asked at run time says so, then resolves', async () => {
    const Cache = createContextToken<string>('Cache');
    const ask = lookup(await contextFactory(bindLazilyTo(Cache)(async () => 'warm')));
    let thrown: unknown;
    try {
      ask(Cache);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContextError);
    expect((thrown as Error).message).toContain('"Cache" is bound to an async reader that has not resolved yet');
    await tick();
    expect(ask(Cache)).toEqual(O.some('warm'));
  });

  test('useContextAsync waits for a lazy async reader first asked at run time', async () => {
    const Cache = createContextToken<{ warm: boolean }>('Cache');
    const Store = createContextToken<string>('Store');
    const build = jest.fn(async () => {
      await tick();
      return { warm: true };
    });
    const ask = lookup(
      await contextFactory(
        bindLazilyTo(Cache)(build),
        bindLazilyTo(Store)(createReader(async a => `store:${(await useContextAsync(Cache)(a)).warm}`)),
      ),
    );
    const [first, second] = await Promise.all([useContextAsync(Cache)(ask), useContextAsync(Cache)(ask)]);
    expect(first).toEqual({ warm: true });
    expect(second).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    expect(await useContextAsync(Store)(ask)).toBe('store:true');
    expect(await useContextAsync(Cache)(ask)).toBe(first);
  });

  test('useContextAsync rejects with a ContextError for a missing token or a failed reader', async () => {
    const Missing = createContextToken<number>('Missing');
    const Broken = createContextToken<number>('Broken');
    const ask = lookup(await contextFactory(bindLazilyTo(Broken)(async () => Promise.reject(new Error('disk full')))));
    const missing = await rejectionOf(useContextAsync(Missing)(ask));
    expect(missing).toBeInstanceOf(ContextError);
    expect(missing.message).toContain('"Missing"');
    const broken = await rejectionOf(useContextAsync(Broken)(ask));
    expect(broken).toBeInstanceOf(ContextError);
    expect(broken.message).toBe('Dependency "Broken" failed to build: disk full');
  });

  test('binding order does not matter (sync readers)', async () => {
    const A = createContextToken<number>('A');
    const B = createContextToken<number>('B');
    const C = createContextToken<number>('C');
    const bindings = [
      bindEagerlyTo(C)(createReader(ask => useContext(B)(ask) + 1)),
      bindEagerlyTo(B)(createReader(ask => useContext(A)(ask) + 1)),
      bindTo(A)(1),
    ];
    for (const order of [bindings, [...bindings].reverse(), [bindings[1]!, bindings[2]!, bindings[0]!]]) {
      const ask = lookup(await contextFactory(...order));
      expect([useContext(A)(ask), useContext(B)(ask), useContext(C)(ask)]).toEqual([1, 2, 3]);
    }
  });

  test('undefined and null bindings are ignored', async () => {
    const A = createContextToken<number>('A');
    const ask = lookup(await contextFactory(undefined, bindTo(A)(1), null));
    expect(useContext(A)(ask)).toBe(1);
  });

  test('a later binding of the same token replaces the earlier one', async () => {
    const A = createContextToken<number>('A');
    const ask = lookup(await contextFactory(bindTo(A)(1), bindTo(A)(2)));
    expect(useContext(A)(ask)).toBe(2);
  });

  describe('errors', () => {
    test('a missing token gives a ContextError naming it and listing the bound tokens', async () => {
      const Bound = createContextToken<number>('Bound');
      const Other = createContextToken<number>('Other');
      const Missing = createContextToken<number>('Missing');
      const ask = lookup(await contextFactory(bindTo(Bound)(1), bindTo(Other)(2)));
      let thrown: unknown;
      try {
        useContext(Missing, 'PaymentModule')(ask);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ContextError);
      expect(isCoreError(thrown)).toBe(true);
      const message = (thrown as Error).message;
      expect(message).toContain('"Missing"');
      expect(message).toContain('PaymentModule');
      // contextFactory binds a default logger, as Marble.js does
      expect(message).toContain('Bound tokens: [LoggerToken, Bound, Other]');
    });

    test('a missing token asked by an eager reader rejects contextFactory with that ContextError', async () => {
      const Needs = createContextToken<number>('Needs');
      const Missing = createContextToken<number>('MissingDb');
      const error = await rejectionOf(contextFactory(bindEagerlyTo(Needs)(createReader(ask => useContext(Missing)(ask)))));
      expect(error).toBeInstanceOf(ContextError);
      expect(error.message).toContain('"MissingDb"');
      expect(error.message).toContain('Needs');
    });

    test('a missing token asked by an eager async reader rejects contextFactory', async () => {
      const Needs = createContextToken<number>('Needs');
      const Missing = createContextToken<number>('MissingCache');
      const error = await rejectionOf(contextFactory(bindEagerlyTo(Needs)(createReader(async ask => useContext(Missing)(ask)))));
      expect(error).toBeInstanceOf(ContextError);
      expect(error.message).toContain('"MissingCache"');
    });

    test('an unnamed token is still named in errors', () => {
      const token = createContextToken<number>();
      expect(() => useContext(token)(lookup(createContext()))).toThrow(/Cannot resolve "token#\d+"/);
    });

    test('a cycle of sync readers gives a ContextError', async () => {
      const A = createContextToken<number>('CycleA');
      const B = createContextToken<number>('CycleB');
      const error = await rejectionOf(
        contextFactory(
          bindEagerlyTo(A)(createReader(ask => useContext(B)(ask))),
          bindLazilyTo(B)(createReader(ask => useContext(A)(ask))),
        ),
      );
      expect(error).toBeInstanceOf(ContextError);
      expect(error.message).toMatch(/Circular dependency: "Cycle[AB]"/);
    });

    test('a lazy reader needing itself gives a ContextError at lookup', async () => {
      const Self = createContextToken<number>('Self');
      const ask = lookup(await contextFactory(bindTo(Self)(createReader(a => useContext(Self)(a)))));
      expect(() => ask(Self)).toThrow(ContextError);
      expect(() => ask(Self)).toThrow(/Circular dependency: "Self"/);
    });

    test('a cycle of async readers gives a ContextError, not a hang', async () => {
      const A = createContextToken<number>('AsyncA');
      const B = createContextToken<number>('AsyncB');
      const error = await rejectionOf(
        contextFactory(
          bindEagerlyTo(A)(createReader(async ask => useContext(B)(ask))),
          bindEagerlyTo(B)(createReader(async ask => useContext(A)(ask))),
        ),
      );
      expect(error).toBeInstanceOf(ContextError);
      expect(error.message).toMatch(/AsyncA|AsyncB/);
    });

    test('a failing eager reader rejects contextFactory with a ContextError naming it, with the cause', async () => {
      const Db = createContextToken<number>('Db');
      const cause = new Error('ECONNREFUSED');
      const sync = await rejectionOf(
        contextFactory(
          bindEagerlyTo(Db)(() => {
            throw cause;
          }),
        ),
      );
      expect(sync).toBeInstanceOf(ContextError);
      expect(sync.message).toBe('Dependency "Db" failed to build: ECONNREFUSED');
      expect(sync.cause).toBe(cause);

      const async = await rejectionOf(contextFactory(bindEagerlyTo(Db)(async () => Promise.reject(cause))));
      expect(async).toBeInstanceOf(ContextError);
      expect(async.message).toContain('Dependency "Db" failed to build: ECONNREFUSED');
      expect(async.cause).toBe(cause);
    });
  });

  describe('derived context', () => {
    test('looks up in the parent what it lacks; its own bindings win', async () => {
      const A = createContextToken<string>('A');
      const B = createContextToken<string>('B');
      const Missing = createContextToken<string>('Missing');
      const parent = await contextFactory(bindTo(A)('parent-a'), bindTo(B)('parent-b'));
      const child = await constructContext(parent)(bindTo(B)('child-b'));
      const ask = lookup(child);
      expect(ask(A)).toEqual(O.some('parent-a'));
      expect(ask(B)).toEqual(O.some('child-b'));
      expect(ask(Missing)).toEqual(O.none);
      expect(lookup(parent)(B)).toEqual(O.some('parent-b'));
    });

    test('a child reader can use a parent dependency, and lazy parent bindings are shared', async () => {
      const Counter = createContextToken<{ n: number }>('Counter');
      const Greeting = createContextToken<string>('Greeting');
      const build = jest.fn(() => ({ n: 1 }));
      const parent = await contextFactory(bindTo(Counter)(createReader(build)));
      const child = await constructContext(parent)(bindEagerlyTo(Greeting)(createReader(ask => `n=${useContext(Counter)(ask).n}`)));
      expect(useContext(Greeting)(lookup(child))).toBe('n=1');
      expect(useContext(Counter)(lookup(parent))).toBe(useContext(Counter)(lookup(child)));
      expect(build).toHaveBeenCalledTimes(1);
    });

    test('constructContext() without a parent is contextFactory', async () => {
      const A = createContextToken<number>('A');
      expect(lookup(await constructContext()(bindTo(A)(1)))(A)).toEqual(O.some(1));
    });
  });

  describe('low-level API', () => {
    test('createContext, register, registerAll, unregister, resolve, reader', async () => {
      const A = createContextToken<number>('A');
      const B = createContextToken<number>('B');
      const build = jest.fn(async () => 2);
      const context = registerAll([bindTo(A)(1), undefined])(register(bindEagerlyTo(B)(build))(createContext()));
      expect(context.size).toBe(2);
      expect(build).not.toHaveBeenCalled();
      expect(await resolve(context)).toBe(context);
      expect(build).toHaveBeenCalledTimes(1);
      const ask = reader(context);
      expect(ask(A)).toEqual(O.some(1));
      expect(ask(B)).toEqual(O.some(2));
      unregister(A)(context);
      expect(reader(context)(A)).toEqual(O.none);
    });

    test('createReader makes an fp-ts Reader of the context', async () => {
      const Name = createContextToken<string>('Name');
      const context = await contextFactory(bindTo(Name)('world'));
      const Greeter = createReader(ask => `hello ${useContext(Name)(ask)}`);
      expect(Greeter(context)).toBe('hello world');
    });

    test('tokens are distinct even with the same name', async () => {
      const first = createContextToken<number>('Same');
      const second = createContextToken<number>('Same');
      const ask = lookup(await contextFactory(bindTo(first)(1), bindTo(second)(2)));
      expect([useContext(first)(ask), useContext(second)(ask)]).toEqual([1, 2]);
    });
  });
});
