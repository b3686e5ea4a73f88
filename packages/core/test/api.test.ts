import * as core from '@tributary/core';

describe('public API', () => {
  const functions = [
    'event',
    'isEventCodec',
    'createEvent',
    'getDeliveryTracker',
    'matchEvent',
    'act',
    'use',
    'combineEffects',
    'combineMiddlewares',
    'createEffectContext',
    'resubscribeOnError',
    'runEffects',
    'eventValidator$',
    'createContextToken',
    'createContext',
    'register',
    'registerAll',
    'unregister',
    'lookup',
    'resolve',
    'reader',
    'bindTo',
    'bindLazilyTo',
    'bindEagerlyTo',
    'createReader',
    'useContext',
    'useContextAsync',
    'contextFactory',
    'constructContext',
    'createListener',
    'createLogger',
    'CoreError',
    'isCoreError',
    'EventError',
    'isEventError',
    'UnsupportedVersionError',
    'isUnsupportedVersionError',
    'ContextError',
    'coreErrorFactory',
    'encodeError',
  ];
  const objects = ['DerivedContextToken', 'LoggerLevel', 'LoggerTag', 'LoggerToken', 'DEFAULT_LOGGER_CONFIG'];
  const strings = ['EVENT_CODEC_NAME', 'UNHANDLED_ERROR_SUFFIX'];
  const symbols = ['DELIVERY_TRACKER'];
  const numbers = ['MAX_EFFECT_RESTARTS'];

  test.each(functions)('exports function %s', name => {
    expect(typeof (core as Record<string, unknown>)[name]).toBe('function');
  });
  test.each(objects)('exports object %s', name => {
    expect(typeof (core as Record<string, unknown>)[name]).toBe('object');
  });
  test.each(strings)('exports string %s', name => {
    expect(typeof (core as Record<string, unknown>)[name]).toBe('string');
  });
  test.each(symbols)('exports symbol %s', name => {
    expect(typeof (core as Record<string, unknown>)[name]).toBe('symbol');
  });

  test.each(numbers)('exports number %s', name => {
    expect(typeof (core as Record<string, unknown>)[name]).toBe('number');
  });

  test('exports nothing else at run time', () => {
    expect(Object.keys(core).sort()).toEqual([...functions, ...objects, ...strings, ...symbols, ...numbers].sort());
  });

  test('LoggerLevel keeps the Marble.js numbers', () => {
    expect(core.LoggerLevel).toMatchObject({ INFO: 0, WARN: 1, ERROR: 2, DEBUG: 3, VERBOSE: 4 });
  });
});
