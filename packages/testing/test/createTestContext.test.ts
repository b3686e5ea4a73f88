import * as O from 'fp-ts/Option';
import {
  bindEagerlyTo,
  bindTo,
  ContextError,
  createContextToken,
  createReader,
  LoggerLevel,
  LoggerToken,
  useContext,
} from '@tributary/core';
import { createTestContext } from '@tributary/testing';
import { asyncScheduler } from 'rxjs';

const Url = createContextToken<string>('Url');
const Client = createContextToken<{ url: string }>('Client');

describe('createTestContext', () => {
  it('gives an effect context whose ask resolves the bindings, in any order', () => {
    const ctx = createTestContext(bindTo(Client)(createReader(ask => ({ url: useContext(Url)(ask) }))), bindTo(Url)('amqp://test'));
    expect(useContext(Client)(ctx.ask)).toEqual({ url: 'amqp://test' });
    expect(ctx.client).toBeUndefined();
    expect(ctx.scheduler).toBe(asyncScheduler);
  });

  it('builds a lazy reader once', () => {
    let built = 0;
    const ctx = createTestContext(bindTo(Client)(() => ({ url: `built ${++built}` })));
    useContext(Client)(ctx.ask);
    expect(useContext(Client)(ctx.ask)).toEqual({ url: 'built 1' });
  });

  it('lets the last binding of a token win (per-test overrides)', () => {
    const defaults = [bindTo(Url)('amqp://shared')];
    const ctx = createTestContext(...defaults, bindTo(Url)('amqp://override'), undefined);
    expect(useContext(Url)(ctx.ask)).toBe('amqp://override');
  });

  it('names a missing token', () => {
    const ctx = createTestContext();
    expect(ctx.ask(Url)).toEqual(O.none);
    expect(() => useContext(Url)(ctx.ask)).toThrow(/Cannot resolve "Url"/);
  });

  it('binds a silent logger unless one is bound', () => {
    const logger = useContext(LoggerToken)(createTestContext().ask);
    expect(() => logger({ tag: 't', type: 'T', message: 'quiet', level: LoggerLevel.ERROR })()).not.toThrow();
    const mine = jest.fn(() => () => undefined);
    expect(useContext(LoggerToken)(createTestContext(bindTo(LoggerToken)(() => mine)).ask)).toBe(mine);
  });

  it('runs eager readers at once, so that their errors show where the context is made', () => {
    expect(() =>
      createTestContext(
        bindEagerlyTo(Client)(() => {
          throw new Error('no config');
        }),
      ),
    ).toThrow('no config');
  });

  it('explains that async readers need the test bed', () => {
    const ctx = createTestContext(bindTo(Client)(async () => ({ url: 'later' })));
    let error: unknown;
    try {
      useContext(Client)(ctx.ask);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContextError);
    expect((error as Error).message).toContain('"Client" is bound to an async reader, but a test context is built synchronously');
  });
});
