import { ContextError, CoreError, coreErrorFactory, encodeError, EventError, isCoreError, isEventError } from '@tributary/core';

describe('errors', () => {
  test.each([
    ['CoreError', new CoreError('core')],
    ['EventError', new EventError({ type: 'Pay' }, 'event')],
    ['ContextError', new ContextError('context')],
  ] as const)('%s is an Error with its name, message and a stack', (name, error) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBeTruthy();
    expect(error.stack).toContain(name);
    expect(Object.prototype.toString.call(error)).toBe('[object Error]');
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  test('ContextError is a CoreError; EventError is not', () => {
    expect(new ContextError('x')).toBeInstanceOf(CoreError);
    expect(isCoreError(new ContextError('x'))).toBe(true);
    expect(new ContextError('x').context).toBe('context');
    expect(isCoreError(new EventError({ type: 'A' }, 'x'))).toBe(false);
    expect(isCoreError(new Error('x'))).toBe(false);
    expect(isCoreError({ name: 'CoreError', message: 'x' })).toBe(false);
  });

  test('CoreError keeps context and cause', () => {
    const cause = new Error('root');
    const error = new CoreError('wrapped', { context: 'messaging.client.send', cause });
    expect(error.context).toBe('messaging.client.send');
    expect(error.cause).toBe(cause);
    expect(new CoreError('plain').context).toBeUndefined();
    expect(new ContextError('with cause', { cause }).cause).toBe(cause);
  });

  test('EventError carries the event and data', () => {
    const event = { type: 'Pay', payload: { amount: -1 } };
    const error = new EventError(event, 'Amount must be positive', { amount: -1 });
    expect(error.event).toBe(event);
    expect(error.data).toEqual({ amount: -1 });
  });

  test('isEventError recognises EventError instances and errors named EventError (decoded remote replies)', () => {
    expect(isEventError(new EventError({ type: 'A' }, 'x'))).toBe(true);
    const remote = Object.assign(new Error('remote'), { name: 'EventError' });
    expect(isEventError(remote)).toBe(true);
    expect(isEventError(new Error('x'))).toBe(false);
    expect(isEventError(new ContextError('x'))).toBe(false);
    expect(isEventError({ name: 'EventError', message: 'not an Error' })).toBe(false);
    expect(isEventError(undefined)).toBe(false);
  });

  test('coreErrorFactory makes a CoreError whose context is package.method', () => {
    const error = coreErrorFactory('Config is missing', { contextPackage: 'app', contextMethod: 'boot', printStacktrace: true });
    expect(error).toBeInstanceOf(CoreError);
    expect(error.message).toBe('Config is missing');
    expect(error.context).toBe('app.boot');
    expect(coreErrorFactory('x', { contextMethod: 'only' }).context).toBe('only');
    expect(coreErrorFactory('x').context).toBeUndefined();
  });

  describe('encodeError', () => {
    test('keeps name, message and own data, never the stack', () => {
      const encoded = encodeError(new TypeError('bad'));
      expect(encoded).toEqual({ name: 'TypeError', message: 'bad' });
      expect(encoded).not.toHaveProperty('stack');
    });

    test('keeps the data of an EventError but not the event', () => {
      const issues = [{ path: 'payload.age', expected: 'number', received: 'x' }];
      const encoded = encodeError(new EventError({ type: 'A', payload: { age: 'x' } }, 'invalid', issues));
      expect(encoded).toEqual({ name: 'EventError', message: 'invalid', data: issues });
      expect(encoded).not.toHaveProperty('event');
      expect(encoded).not.toHaveProperty('stack');
    });

    test('keeps custom fields, drops functions', () => {
      const error = Object.assign(new Error('http'), { status: 503, retry: () => undefined });
      expect(encodeError(error)).toEqual({ name: 'Error', message: 'http', status: 503 });
      expect(encodeError(new CoreError('c', { context: 'x' }))).toEqual({ name: 'CoreError', message: 'c', context: 'x' });
    });

    test('is JSON round-trip safe', () => {
      const encoded = encodeError(new EventError({ type: 'A' }, 'invalid', [{ path: 'payload', expected: 'string', received: 1 }]));
      expect(JSON.parse(JSON.stringify(encoded))).toEqual(encoded);
    });

    test('encodes error-like objects and other thrown values', () => {
      expect(encodeError({ message: 'like', code: 7 })).toEqual({ name: 'Error', message: 'like', code: 7 });
      expect(encodeError({ name: 'Remote', message: 'like' })).toEqual({ name: 'Remote', message: 'like' });
      expect(encodeError('boom')).toEqual({ name: 'Error', message: 'boom' });
      expect(encodeError(undefined)).toEqual({ name: 'Error', message: 'undefined' });
      expect(encodeError(42)).toEqual({ name: 'Error', message: '42' });
    });
  });
});
