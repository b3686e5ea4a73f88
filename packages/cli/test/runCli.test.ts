import { EXIT_CODES, runCli } from '@tributary/cli';

const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: text => void (out += text), err: text => void (err += text) });
  return { code, out, err };
};

describe('runCli (in process, no broker)', () => {
  it('prints the usage for --help and for no arguments', async () => {
    for (const argv of [['--help'], []]) {
      const { code, out } = await run(...argv);
      expect(code).toBe(EXIT_CODES.OK);
      expect(out).toMatch(/^Usage: tributary dead-letters list\|redrive --transport amqp\|redis\|nats\|kafka\|mqtt\|local/);
    }
  });

  it.each([
    [['orders', 'list'], 'Unknown command "orders": the command is "dead-letters list" or "dead-letters redrive".'],
    [['dead-letters', 'purge', '--transport', 'local'], 'Unknown action "purge": use "dead-letters list" or "dead-letters redrive".'],
    [['dead-letters', 'list'], 'Unknown transport "": use --transport amqp, redis, nats, kafka, mqtt or local.'],
    [['dead-letters', 'list', '--transport', 'local', '--limit', '0'], '--limit must be a positive whole number, got "0".'],
    [['dead-letters', 'list', '--transport', 'redis'], "--channel is required with --transport redis: the service's channel (e.g. --channel orders)."],
    [['dead-letters', 'list', '--transport', 'redis', '--channel', 'orders', '--mode', 'queue'], '--mode must be streams or pubsub, got "queue".'],
    [['dead-letters', 'list', '--transport', 'nats'], "--channel is required with --transport nats: the service's channel (e.g. --channel orders)."],
    [['dead-letters', 'list', '--transport', 'mqtt'], "--channel is required with --transport mqtt: the service's channel (e.g. --channel orders)."],
    [['dead-letters', 'list', '--transport', 'kafka', '--channel', ''], "--topic is required with --transport kafka: the service's topic (e.g. --topic orders)."],
    [['dead-letters', 'list', '--transport', 'kafka', '--topic', 'orders', '--dead-letter', 'dlq'], '--dead-letter does not apply to kafka: the dead-letter topic is always <topic>.dead-letter.'],
    [['dead-letters', 'list', '--transport', 'nats', '--channel', 'orders', '--host', 'http://127.0.0.1'], /^@tributary\/nats: `host` must be a server URL/],
    [['dead-letters', 'list', '--transport', 'amqp', '--queue', 'orders', '--host', 'http://127.0.0.1'], /^@tributary\/amqp: `host` must be a broker URL/],
  ])('bad arguments %j: exit 2 with one line saying what to fix', async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(EXIT_CODES.USAGE);
    expect(out).toBe('');
    expect(err.endsWith('\n')).toBe(true);
    expect(err.trim().split('\n')).toHaveLength(1);
    const line = err.trim().replace(/^tributary: /, '');
    if (typeof message === 'string') expect(line).toBe(message);
    else expect(line).toMatch(message);
  });

  it('no dead letters: exit 4, and JSON still printed with --json', async () => {
    expect(await run('dead-letters', 'list', '--transport', 'local', '--channel', 'nothing-here')).toEqual({
      code: EXIT_CODES.EMPTY,
      out: '',
      err: 'No dead letters (local nothing-here).\n',
    });
    const json = await run('dead-letters', 'redrive', '--transport', 'local', '--json');
    expect(json.code).toBe(EXIT_CODES.EMPTY);
    expect(JSON.parse(json.out)).toEqual({ moved: 0, matched: 0, letters: [] });
  });
});
