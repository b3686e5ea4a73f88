import * as O from 'fp-ts/Option';
import { bindTo, contextFactory, createLogger, DEFAULT_LOGGER_CONFIG, Logger, LoggerLevel, LoggerTag, LoggerToken, lookup } from '@tributary/core';

const collector = () => {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
};

const logAll = (logger: Logger) => {
  logger({ tag: 'app', type: 'T', message: 'debug msg', level: LoggerLevel.DEBUG })();
  logger({ tag: 'app', type: 'T', message: 'verbose msg', level: LoggerLevel.VERBOSE })();
  logger({ tag: 'app', type: 'T', message: 'info msg', level: LoggerLevel.INFO })();
  logger({ tag: 'app', type: 'T', message: 'default msg' })();
  logger({ tag: 'app', type: 'T', message: 'warn msg', level: LoggerLevel.WARN })();
  logger({ tag: 'app', type: 'T', message: 'error msg', level: LoggerLevel.ERROR })();
};

describe('createLogger', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test.each([
    ['debug', ['debug msg', 'verbose msg', 'info msg', 'default msg', 'warn msg', 'error msg']],
    ['info', ['info msg', 'default msg', 'warn msg', 'error msg']],
    ['warn', ['warn msg', 'error msg']],
    ['error', ['error msg']],
    ['silent', []],
  ] as const)('level %s writes only records at or above it', (level, expected) => {
    const { lines, write } = collector();
    logAll(createLogger({ level, write }));
    expect(lines).toHaveLength(expected.length);
    expected.forEach((message, i) => expect(lines[i]).toContain(message));
  });

  test('records below the level are not even rendered', () => {
    const { lines, write } = collector();
    const logger = createLogger({ level: 'warn', write });
    const record = { tag: 'app', type: 'T', message: 'hidden', level: LoggerLevel.INFO };
    expect(logger(record)).not.toBe(logger({ ...record, level: LoggerLevel.ERROR }));
    logger(record)();
    expect(lines).toEqual([]);
  });

  test('nothing is written until the IO is run', () => {
    const { lines, write } = collector();
    const io = createLogger({ level: 'info', write })({ tag: 'app', type: 'T', message: 'later' });
    expect(lines).toEqual([]);
    io();
    expect(lines).toHaveLength(1);
  });

  test('json format writes one parseable JSON object per line with time, level, tag, type, message and data', () => {
    const { lines, write } = collector();
    const logger = createLogger({ level: 'debug', format: 'json', write });
    logger({ tag: LoggerTag.MESSAGING, type: 'Listener', message: 'ready', level: LoggerLevel.INFO, data: { port: 1 } })();
    logger({ tag: 'amqp', type: 'Connection', message: 'lost', level: LoggerLevel.ERROR })();
    logger({ tag: 'app', type: 'Trace', message: 'detail', level: LoggerLevel.VERBOSE })();
    expect(lines).toHaveLength(3);
    const records = lines.map(line => {
      expect(line).not.toContain('\n');
      return JSON.parse(line);
    });
    expect(records[0]).toEqual({ time: expect.any(String), level: 'info', tag: 'messaging', type: 'Listener', message: 'ready', port: 1 });
    expect(new Date(records[0].time).toISOString()).toBe(records[0].time);
    expect(records[1]).toMatchObject({ level: 'error', tag: 'amqp', type: 'Connection', message: 'lost' });
    expect(records[2]).toMatchObject({ level: 'debug', message: 'detail' });
  });

  test('pretty format shows level, tag, type, message and data on one line', () => {
    const { lines, write } = collector();
    createLogger({ level: 'info', format: 'pretty', write })({ tag: 'core', type: 'Boot', message: 'up', level: LoggerLevel.WARN, data: { a: 1 } })();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ WARN  \[core\] Boot: up \{"a":1\}$/);
  });

  test('is silent under NODE_ENV=test by default', () => {
    process.env.NODE_ENV = 'test';
    delete process.env.LOG_LEVEL;
    const { lines, write } = collector();
    logAll(createLogger({ write }));
    expect(lines).toEqual([]);
  });

  test('outside tests the default level is info and the default writer is stdout', () => {
    process.env.NODE_ENV = 'production';
    delete process.env.LOG_LEVEL;
    const { lines, write } = collector();
    logAll(createLogger({ write }));
    expect(lines).toHaveLength(4);
    expect(DEFAULT_LOGGER_CONFIG).toEqual({ level: 'info', format: 'pretty' });

    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      createLogger()({ tag: 'app', type: 'T', message: 'to stdout', level: LoggerLevel.ERROR })();
      expect(spy).toHaveBeenCalledWith(expect.stringMatching(/\[app\] T: to stdout\n$/));
    } finally {
      spy.mockRestore();
    }
  });

  test('LOG_LEVEL overrides the test silence; an explicit level overrides LOG_LEVEL', () => {
    process.env.NODE_ENV = 'test';
    process.env.LOG_LEVEL = 'warn';
    const fromEnv = collector();
    logAll(createLogger({ write: fromEnv.write }));
    expect(fromEnv.lines).toHaveLength(2);

    const explicit = collector();
    logAll(createLogger({ level: 'error', write: explicit.write }));
    expect(explicit.lines).toHaveLength(1);
  });

  test('an unknown LOG_LEVEL is ignored', () => {
    process.env.NODE_ENV = 'test';
    process.env.LOG_LEVEL = 'loud';
    const { lines, write } = collector();
    logAll(createLogger({ write }));
    expect(lines).toEqual([]);
  });

  test('LOG_FORMAT=json switches the default format', () => {
    process.env.LOG_FORMAT = 'json';
    const { lines, write } = collector();
    createLogger({ level: 'info', write })({ tag: 'app', type: 'T', message: 'm' })();
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', message: 'm' });
  });

  test('a logger is bound under LoggerToken like any dependency', async () => {
    const { lines, write } = collector();
    const logger = createLogger({ level: 'info', write });
    logger({ tag: 'app', type: 'T', message: 'bound' })();
    expect(lines).toHaveLength(1);
    const ask = lookup(await contextFactory(bindTo(LoggerToken)(() => logger)));
    expect(ask(LoggerToken)).toEqual(O.some(logger));
  });
});

describe('createLogger: writing never throws', () => {
  test('data JSON cannot hold (a bigint, a cycle, a throwing toJSON) is written as text, in both formats', () => {
    const cyclic: Record<string, unknown> = { name: 'order' };
    cyclic.self = cyclic;
    const hostile = { toJSON: () => { throw new Error('no JSON for you'); } };
    for (const format of ['pretty', 'json'] as const) {
      const { lines, write } = collector();
      const logger = createLogger({ level: 'debug', format, write });
      expect(() => logger({ tag: 'app', type: 'T', message: 'big', data: { amount: 12345678901234567890n } })()).not.toThrow();
      expect(() => logger({ tag: 'app', type: 'T', message: 'cycle', data: { order: cyclic } })()).not.toThrow();
      expect(() => logger({ tag: 'app', type: 'T', message: 'hostile', data: { hostile } })()).not.toThrow();
      expect(lines).toHaveLength(3);
      expect(lines[0]).toContain('12345678901234567890');
      expect(lines[1]).toContain('[Circular]');
      expect(lines[1]).toContain('order');
      expect(lines[2]).toContain('no JSON for you');
      if (format === 'json') for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  test('stdout a closed pipe (EPIPE): the process goes on, lines are dropped', async () => {
    const { spawn } = await import('node:child_process');
    const path = await import('node:path');
    // a process logging with the built default logger; its reader goes away after the first line
    const script = `
      const { createLogger, LoggerLevel } = require(${JSON.stringify(path.resolve(__dirname, '../dist/index.js'))});
      const logger = createLogger({ level: 'info' });
      let n = 0;
      const timer = setInterval(() => {
        logger({ tag: 'app', type: 'Tick', message: 'line ' + n, level: LoggerLevel.INFO })();
        if (++n === 200) { clearInterval(timer); process.stderr.write('done\\n'); }
      }, 2);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' } });
    let stderr = '';
    child.stderr!.on('data', chunk => (stderr += String(chunk)));
    await new Promise<void>(resolve => child.stdout!.once('data', () => resolve()));
    child.stdout!.destroy(); // the reader is gone: the next writes fail with EPIPE
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toContain('done');
    expect(code).toBe(0);
  }, 20_000);
});
