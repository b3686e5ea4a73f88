import type { TransportName } from '../ScaffoldOptions';
import { TRANSPORT_TEMPLATES } from './transports';

/** src/events.ts: the event codecs. */
export const eventsFile = (): string => `import * as t from 'io-ts';
import { event } from '@tributary/core';

// An event definition is an io-ts codec: it creates, matches and validates events.
export const Greeted = event('Greeted')(t.type({ message: t.string }));
// A request can name its reply: client.send(Greet.create(...)) then gives a typed Greeted.
export const Greet = event('Greet', { reply: Greeted })(t.type({ name: t.string }));
`;

/** src/effects.ts: one effect and the listener running it. */
export const effectsFile = (): string => `import { act, eventValidator$, matchEvent } from '@tributary/core';
import { messagingListener, MsgEffect, reply } from '@tributary/messaging';
import { Greet, Greeted } from './events.js';

// An effect maps the events the service receives to the events it sends.
export const greet$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent(Greet),
    act(eventValidator$(Greet)),
    act(e => reply(e)(Greeted.create({ message: \`Hello, \${e.payload.name}!\` }))),
  );

export const listener = messagingListener({ effects: [greet$] });
`;

/** src/main.ts: the service, and one request to it, on the chosen transport. */
export const mainFile = (name: string, transport: TransportName): string => {
  const { enumMember, options } = TRANSPORT_TEMPLATES[transport];
  return `import { createMicroservice, MessagingClient, Transport } from '@tributary/messaging';
import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import { firstValueFrom } from 'rxjs';
import { listener } from './effects.js';
import { Greet } from './events.js';

const options = ${options(name)};

async function main(): Promise<void> {
  const microservice = await createMicroservice({ transport: Transport.${enumMember}, options, listener });
  const connection = await microservice();

  // a client of the service: one request, to show it answers
  const Client = createContextToken<MessagingClient>('Client');
  const context = await contextFactory(bindEagerlyTo(Client)(MessagingClient({ transport: Transport.${enumMember}, options })));
  const client = useContext(Client)(lookup(context));
  const answer = await firstValueFrom(client.send(Greet.create({ name: 'Ada' })));
  console.log(answer.payload); // typed: { message: string }

  const stop = (): void => void connection.close({ drainTimeout: 10_000 }).then(() => client.close());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ${transport === 'local' ? '// the in-process transport lives in this process only: nothing else can call it, so stop\n  stop();' : "console.log('Running; Ctrl-C stops it.');"}
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
`;
};

/** test/effects.test.ts: the listener on an in-process broker, with @tributary/testing. */
export const testFile = (): string => `import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { listener } from '../src/effects.js';
import { Greet } from '../src/events.js';

describe('greet$', () => {
  let bed: MessagingTestBed;
  beforeEach(async () => {
    bed = await createMessagingTestBed({ listener });
  });
  afterEach(() => bed.close());

  it('greets by name', async () => {
    const answer = await bed.send(Greet.create({ name: 'Ada' }));
    expect(answer).toMatchObject({ type: 'Greeted', payload: { message: 'Hello, Ada!' } });
  });

  it('answers a bad payload with the validation error', async () => {
    await expect(bed.send({ type: 'Greet', payload: { name: 42 } })).rejects.toMatchObject({ name: 'EventError' });
  });
});
`;
