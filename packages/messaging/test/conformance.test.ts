import { describeTransportConformance } from '@tributary/testing/conformance';
import type { DeadLetterRecord } from '@tributary/testing/conformance';
import { LocalBroker, Transport } from '@tributary/messaging';
import type { LocalDeadLetter } from '@tributary/messaging';

/** One in-process broker for the suite: its dead-letter list is what readDeadLetters reads. */
const broker = new LocalBroker();

const record = ({ message, info }: LocalDeadLetter): DeadLetterRecord => {
  const data = message.data as { type?: unknown } | Buffer | undefined;
  const body = Buffer.isBuffer(data) ? data : data === undefined ? undefined : Buffer.from(JSON.stringify(data), 'utf8');
  const type = message.type ?? (data && !Buffer.isBuffer(data) && typeof data.type === 'string' ? data.type : undefined);
  return {
    type,
    reason: info.reason,
    errorName: info.error?.name,
    errorMessage: info.error?.message,
    attempts: info.attempts,
    headers: message.headers ?? {},
    body,
  };
};

describeTransportConformance('local', {
  transport: Transport.LOCAL,
  serviceOptions: (channel, extra) => ({ channel, broker, ...extra }),
  capabilities: { faultInjection: false },
  reasons: { faultInjection: 'in-process: there is no connection to cut' },
  // a foreign producer's bytes, as they are (the local wire carries events as objects)
  injectRaw: async (channel, bytes) => broker.enqueue(channel, { data: bytes }),
  readDeadLetters: async channel => broker.getDeadLetters(channel).map(record),
  timeoutMs: 15_000,
});

afterAll(() => broker.reset());
