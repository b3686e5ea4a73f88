import { AssertionError } from 'node:assert';
import { captureOutput, errorText, expectNoSecret } from '@tributary/testing/conformance';

const SECRET = 'hunter2-secret';

describe('captureOutput', () => {
  it('captures stdout, stderr and the console while the work runs, and puts them back after', async () => {
    const write = process.stdout.write;
    const log = console.log;
    const { result, output, elapsed } = await captureOutput(async () => {
      process.stdout.write('to stdout\n');
      process.stderr.write('to stderr\n');
      console.warn('a warning', { nested: { deep: 'value' } });
      await new Promise(resolve => setTimeout(resolve, 20));
      return 42;
    });
    expect(result).toBe(42);
    expect(output).toContain('to stdout');
    expect(output).toContain('to stderr');
    expect(output).toContain("a warning { nested: { deep: 'value' } }");
    expect(elapsed).toBeGreaterThanOrEqual(15);
    expect(process.stdout.write).toBe(write);
    expect(console.log).toBe(log);
  });

  it('gives back the error the work rejected with, and restores the streams then too', async () => {
    const write = process.stderr.write;
    const { result, output } = await captureOutput(async () => {
      console.error('failing');
      throw new TypeError('boom');
    });
    expect(result).toBeInstanceOf(TypeError);
    expect((result as Error).message).toBe('boom');
    expect(output).toContain('failing');
    expect(process.stderr.write).toBe(write);
  });
});

describe('errorText', () => {
  it('has the message and stack of every cause, and the JSON form', () => {
    const error = Object.assign(new Error('outer', { cause: new Error('inner', { cause: new Error('innermost') }) }), { command: { args: ['AUTH', SECRET] } });
    const text = errorText(error);
    expect(text).toContain('outer');
    expect(text).toContain('innermost');
    expect(text).toContain(SECRET); // from util.inspect and JSON of the extra property
  });

  it('survives a circular error', () => {
    const error = new Error('circular') as Error & { self?: unknown };
    error.self = error;
    expect(errorText(error)).toContain('circular');
  });
});

describe('expectNoSecret', () => {
  it('passes when no secret shows anywhere', () => {
    expect(() => expectNoSecret(new Error('refused: check the password'), 'a log line', SECRET, `wrong-${SECRET}`)).not.toThrow();
  });

  it('fails when a secret is deep in a cause', () => {
    const error = new Error('outer', { cause: new Error(`AUTH ${SECRET}`) });
    expect(() => expectNoSecret(error, '', SECRET)).toThrow(AssertionError);
    expect(() => expectNoSecret(error, '', SECRET)).toThrow(/secret #1 shows in the error/);
  });

  it('fails when the second secret is in the output, without printing it', () => {
    const check = () => expectNoSecret(new Error('refused'), `connecting with wrong-${SECRET}`, 'other', `wrong-${SECRET}`);
    expect(check).toThrow(/secret #2 shows in the captured stdout\/stderr\/console output/);
    expect(check).not.toThrow(new RegExp(SECRET));
  });

  it('refuses to look for nothing or an empty secret', () => {
    expect(() => expectNoSecret(new Error('x'), '')).toThrow(TypeError);
    expect(() => expectNoSecret(new Error('x'), '', '')).toThrow(/non-empty string/);
  });
});
