import { randomUUID } from 'node:crypto';
import { firstValueFrom, map } from 'rxjs';
import { matchEvent } from '@tributary/core';
import { uuid } from '../src/internal/uuid';
import { createMicroservice, LocalBroker, MessagingClient, messagingListener, MsgEffect, reply, Transport } from '../src';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid (message ids)', () => {
  test('random version 4 UUIDs in the form crypto.randomUUID() makes, none repeated over many refills', () => {
    const ids = Array.from({ length: 50_000 }, uuid);
    expect(ids.filter(id => !V4.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(V4.test(randomUUID())).toBe(true); // the same form as Node's own
  });

  test('every hex digit appears in every position that is not version, variant or a dash', () => {
    const positions = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 5_000; i++) {
      const id = uuid();
      for (let p = 0; p < 36; p++) positions[p].add(id[p]);
    }
    const free = [...Array(36).keys()].filter(p => ![8, 13, 14, 18, 19, 23].includes(p));
    expect(free.filter(p => positions[p].size !== 16)).toEqual([]);
    expect([...positions[14]]).toEqual(['4']);
    expect([...positions[19]].sort()).toEqual(['8', '9', 'a', 'b']);
  });

  test('a request gets one as metadata.id, and its reply a new one caused by it', async () => {
    const broker = new LocalBroker();
    const options = { channel: 'ids', broker };
    const pong$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Ping'),
        map(event => reply(event)({ type: 'Pong', payload: event.metadata?.id })),
      );
    const microservice = await createMicroservice({ transport: Transport.LOCAL, options, listener: messagingListener({ effects: [pong$] }) });
    const connection = await microservice();
    const client = await MessagingClient({ transport: Transport.LOCAL, options })(microservice.context);
    try {
      const answers = await Promise.all([1, 2, 3].map(() => firstValueFrom(client.send({ type: 'Ping' }))));
      const requestIds = answers.map(answer => answer.payload as string);
      const replyIds = answers.map(answer => answer.metadata?.id as string);
      expect([...requestIds, ...replyIds].filter(id => !V4.test(id))).toEqual([]);
      expect(new Set([...requestIds, ...replyIds]).size).toBe(6);
      expect(answers.map(answer => answer.metadata?.causationId)).toEqual(requestIds);
    } finally {
      await client.close();
      await connection.close();
    }
  });
});
