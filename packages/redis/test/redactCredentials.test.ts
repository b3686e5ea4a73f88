import { inspect } from 'node:util';
import { redactCredentials } from '../src/internal/redactCredentials';

describe('redactCredentials', () => {
  it('masks the arguments of AUTH and HELLO on an error and its causes, leaving other commands alone', () => {
    const auth = Object.assign(new Error('WRONGPASS'), { command: { name: 'auth', args: ['user', 'pa55word'] } });
    const hello = Object.assign(new Error('NOPROTO'), { command: { name: 'HELLO', args: ['3', 'AUTH', 'user', 'pa55word'] } });
    const outer = new Error('unavailable', { cause: hello });
    const xadd = Object.assign(new Error('OOM'), { command: { name: 'xadd', args: ['stream', '*', 'data', 'x'] } });
    redactCredentials(auth);
    redactCredentials(outer);
    redactCredentials(xadd);
    expect(auth.command.args).toEqual(['***', '***']);
    expect(hello.command.args).toEqual(['***', '***', '***', '***']);
    expect(inspect(outer, { depth: 5 })).not.toContain('pa55word');
    expect(xadd.command.args).toEqual(['stream', '*', 'data', 'x']);
  });

  it('takes anything without failing', () => {
    for (const value of [undefined, null, 'text', 42, {}, { command: null }, { command: { name: 1, args: 'x' } }]) expect(redactCredentials(value)).toBe(value);
  });
});
