import { parseArgs } from 'node:util';
import { Transport } from '@tributary/messaging';

/** A command line that cannot run: the message says what to fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `tributary dead-letters list|redrive ...` asks for. */
export interface DeadLettersCommand {
  readonly action: 'list' | 'redrive';
  readonly transport: Transport;
  readonly transportName: string;
  /** The transport options: host, queue or channel, timeout. */
  readonly options: Record<string, unknown>;
  readonly types: string[];
  readonly reasons: string[];
  readonly limit?: number;
  readonly dryRun: boolean;
  readonly json: boolean;
}

export const USAGE = `Usage: tributary dead-letters list|redrive --transport amqp|redis|nats|kafka|mqtt|local [options]

  --host URL          broker address (amqp://user:pass@host:5672, redis://host:6379, nats://host:4222,
                      mqtt://host:1883; kafka: host:9092[,host:9092] bootstrap brokers)
  --queue NAME        the service's queue (amqp); --channel NAME for redis, nats, mqtt and local;
                      --topic NAME for kafka
  --mode MODE         redis: streams or pubsub (where a redrive sends; default pubsub, as the transport)
  --key-prefix P      redis: the keyPrefix of the service
  --dead-letter NAME  a dead-letter queue (amqp), stream (redis, nats) or topic (mqtt) with a non-default name
  --type TYPE         only these event types (patterns: * one word, # any words); repeatable
  --reason REASON     only these reasons (failed, unhandled, malformed, rejected, timeout, unsupported-version); repeatable
  --limit N           at most N dead letters (list: default 100)
  --dry-run           redrive: list what would move, move nothing
  --json              print JSON (for scripts) instead of a table
  --timeout MS        how long to try to reach the broker (default 5000)

Exit codes: 0 ok, 1 unexpected error, 2 bad arguments, 3 broker unreachable, 4 no dead letters,
5 no dead-letter queue or stream, 6 redrive stopped part way, 7 transport not installed or cannot redrive.`;

const TRANSPORTS: Record<string, Transport> = {
  amqp: Transport.AMQP,
  redis: Transport.REDIS,
  nats: Transport.NATS,
  kafka: Transport.KAFKA,
  mqtt: Transport.MQTT,
  local: Transport.LOCAL,
};

const withScheme = (host: string, scheme: string): string => (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `${scheme}://${host}`);

const positiveInteger = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, got "${text}".`);
  return n;
};

/** Reads `dead-letters list|redrive ...`; throws `UsageError` with what to fix. */
export const parseCommand = (argv: readonly string[]): DeadLettersCommand | 'help' => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        transport: { type: 'string', short: 't' },
        host: { type: 'string' },
        queue: { type: 'string', short: 'q' },
        channel: { type: 'string', short: 'c' },
        topic: { type: 'string' },
        mode: { type: 'string' },
        'key-prefix': { type: 'string' },
        'dead-letter': { type: 'string' },
        type: { type: 'string', multiple: true },
        reason: { type: 'string', multiple: true },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (tributary --help lists the options).`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [group, action, ...extra] = positionals;
  if (group !== 'dead-letters') throw new UsageError(`Unknown command "${group}": the command is "dead-letters list" or "dead-letters redrive".`);
  if (action !== 'list' && action !== 'redrive') throw new UsageError(`Unknown action "${action ?? ''}": use "dead-letters list" or "dead-letters redrive".`);
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const transportName = (values.transport ?? '').toLowerCase();
  const transport = TRANSPORTS[transportName];
  if (transport === undefined) {
    const names = Object.keys(TRANSPORTS);
    throw new UsageError(`Unknown transport "${values.transport ?? ''}": use --transport ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}.`);
  }
  const name = values.queue ?? values.channel ?? values.topic;
  const timeout = positiveInteger('timeout', values.timeout) ?? 5000;
  const options: Record<string, unknown> = { timeout };
  if (transport === Transport.AMQP) {
    if (!name) throw new UsageError("--queue is required with --transport amqp: the service's queue (e.g. --queue orders).");
    Object.assign(options, { host: withScheme(values.host ?? '127.0.0.1:5672', 'amqp'), queue: name, reconnect: { initialDelay: 100, maxDelay: 1000 } });
    if (values['dead-letter']) options.deadLetter = values['dead-letter'];
  } else if (transport === Transport.REDIS) {
    if (!name) throw new UsageError("--channel is required with --transport redis: the service's channel (e.g. --channel orders).");
    if (values.mode !== undefined && values.mode !== 'streams' && values.mode !== 'pubsub') throw new UsageError(`--mode must be streams or pubsub, got "${values.mode}".`);
    Object.assign(options, { host: withScheme(values.host ?? '127.0.0.1:6379', 'redis'), channel: name, mode: values.mode ?? 'pubsub' });
    if (values['key-prefix']) options.keyPrefix = values['key-prefix'];
    if (values['dead-letter']) options.deadLetter = { channel: values['dead-letter'] };
  } else if (transport === Transport.NATS) {
    if (!name) throw new UsageError("--channel is required with --transport nats: the service's channel (e.g. --channel orders).");
    Object.assign(options, { host: withScheme(values.host ?? '127.0.0.1:4222', 'nats'), channel: name });
    if (values['dead-letter']) options.deadLetter = values['dead-letter'];
  } else if (transport === Transport.MQTT) {
    if (!name) throw new UsageError("--channel is required with --transport mqtt: the service's channel (e.g. --channel orders).");
    Object.assign(options, { host: withScheme(values.host ?? '127.0.0.1:1883', 'mqtt'), channel: name });
    if (values['dead-letter']) options.deadLetter = { topic: values['dead-letter'] };
  } else if (transport === Transport.KAFKA) {
    if (!name) throw new UsageError("--topic is required with --transport kafka: the service's topic (e.g. --topic orders).");
    if (values['dead-letter']) throw new UsageError('--dead-letter does not apply to kafka: the dead-letter topic is always <topic>.dead-letter.');
    const brokers = (values.host ?? '127.0.0.1:9092').split(',').map(host => host.trim().replace(/^kafka:\/\//, ''));
    Object.assign(options, { brokers, topic: name });
  } else if (name) options.channel = name;
  return {
    action,
    transport,
    transportName,
    options,
    types: values.type ?? [],
    reasons: values.reason ?? [],
    limit: positiveInteger('limit', values.limit) ?? (action === 'list' ? 100 : undefined),
    dryRun: values['dry-run'] === true,
    json: values.json === true,
  };
};
