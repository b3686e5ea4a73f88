import type { DeadLetter, DeadLetterStore } from '../transport/DeadLetterStore';
import type { TransportMessage } from '../transport/transport.interface';
import type { LocalBroker, LocalDeadLetter } from './LocalBroker';

interface LocalLetter extends DeadLetter {
  readonly local: LocalDeadLetter;
}

const typeOf = (message: TransportMessage): string | undefined => {
  if (message.type !== undefined) return message.type;
  const data = message.data as { type?: unknown } | undefined;
  return typeof data?.type === 'string' ? data.type : undefined;
};

const toDeadLetter = (local: LocalDeadLetter): LocalLetter => {
  const { message, info } = local;
  return {
    id: local.id,
    messageId: message.messageId,
    type: typeOf(message),
    reason: info.reason,
    errorName: info.error?.name,
    errorMessage: info.error?.message,
    attempts: info.attempts,
    headers: { ...message.headers },
    deadLetteredAt: local.deadLetteredAt,
    source: local.channel,
    data: message.data,
    local,
  };
};

/**
 * The dead letters of one channel of a {@link LocalBroker}: `move` puts the message back on
 * the channel's queue as attempt 1 and removes the letter (in process, both at once).
 */
export const localDeadLetters = (broker: LocalBroker, channel: string): DeadLetterStore => {
  // letters dead-lettered after opening are left alone (ids grow)
  const all = broker.getDeadLetters(channel);
  const last = all.length ? Number(all[all.length - 1].id) : 0;
  let after = 0;
  return {
    destination: `${channel} (local dead letters)`,
    target: channel,
    list: async ({ limit }) => {
      const page = broker
        .getDeadLetters(channel)
        .filter(letter => Number(letter.id) > after && Number(letter.id) <= last)
        .slice(0, Math.max(0, limit));
      if (page.length) after = Number(page[page.length - 1].id);
      return page.map(toDeadLetter);
    },
    move: async letter => {
      const local = (letter as LocalLetter).local;
      if (!local || local.channel !== channel) throw new Error(`Dead letter ${letter.id} was not listed by this store (channel "${channel}").`);
      if (!broker.getDeadLetters(channel).includes(local)) throw new Error(`Dead letter ${letter.id} of "${channel}" is gone (moved already?).`);
      const { message } = local;
      broker.enqueue(channel, { ...message, raw: undefined, attempt: 1, headers: message.headers && { ...message.headers } });
      broker.removeDeadLetter(local.id);
    },
    close: async () => undefined,
  };
};
