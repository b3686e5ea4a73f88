import type { ResolvedAmqp10Options } from './resolveOptions';

/** Where a service's receivers read: its anycast queue, then one durable subscription queue per `subscribe` pattern. */
export interface SourceSpec {
  address: string;
  capabilities: string[];
  durable: boolean;
}

/**
 * The queue of the subscription `pattern` of a service: `<channel>.<topicPrefix><pattern>` on
 * the multicast address `<topicPrefix><pattern>` (Artemis routes `event.payment.captured` to
 * an address `event.payment.*`: its wildcards are `*` one word, `#` any words, `.` between
 * words, as in `subscribe`), read by its fully qualified name `address::queue`.
 */
export const subscriptionQueue = (options: Pick<ResolvedAmqp10Options, 'channel' | 'topicPrefix'>, pattern: string): { address: string; queue: string } => {
  const address = `${options.topicPrefix}${pattern}`;
  return { address, queue: `${options.channel}.${address}` };
};

/** The sources a service consumes. */
export const serviceSources = (options: ResolvedAmqp10Options): SourceSpec[] => [
  { address: options.channel, capabilities: ['queue'], durable: false },
  ...options.subscribe.map(pattern => {
    const { address, queue } = subscriptionQueue(options, pattern);
    return { address: `${address}::${queue}`, capabilities: ['topic'], durable: true };
  }),
];
