import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { MessageTooLargeError } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { RedisTestBed, waitFor } from './helpers';
import { RedisServices } from './services';

/** `maxMessageSize` (a messaging-layer limit) on a transport that carries bytes: Redis streams and pub/sub. */
describe('maxMessageSize on Redis', () => {
  let bed: RedisTestBed;
  let services: RedisServices;

  beforeEach(() => {
    bed = new RedisTestBed();
    services = new RedisServices(bed);
  });

  afterEach(async () => {
    await services.close();
    await bed.close();
  });

  const reasons = async (channel: string): Promise<string[]> => {
    const entries = (await bed.admin.xrange(bed.key(`${channel}:dead-letter`), '-', '+')) as Array<[string, string[]]>;
    return entries.map(([, fields]) => fields[fields.indexOf('reason') + 1]);
  };

  test('emit, publish and send reject a body over the limit with MessageTooLargeError before sending; one under it goes', async () => {
    const channel = bed.channel('limit');
    const client = await services.client({ channel, mode: 'streams', maxMessageSize: 1_000 });
    const big = { type: 'Big', payload: 'x'.repeat(2_000) };
    const error = await client.emit(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error).toMatchObject({ limit: 1_000, channel });
    expect((error as MessageTooLargeError).size).toBeGreaterThan(2_000);
    expect((error as Error).message).toMatch(/maxMessageSize/);
    await expect(client.publish(big)).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(firstValueFrom(client.send(big))).rejects.toBeInstanceOf(MessageTooLargeError);
    expect(await bed.admin.exists(bed.key(channel))).toBe(0); // nothing was sent
    await client.emit({ type: 'Small', payload: 'x'.repeat(100) });
    expect(await bed.admin.xlen(bed.key(channel))).toBe(1);
  });

  test('pub/sub send (the request framed once, by the transport) rejects a request over the limit with MessageTooLargeError and sends nothing; one under it is answered', async () => {
    const channel = bed.channel('limit-pubsub');
    const received: string[] = [];
    const pong: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Ping'),
        act(event => {
          received.push(String(event.payload).slice(0, 5));
          return [{ type: 'Pong', payload: String(event.payload).length, metadata: { correlationId: event.metadata?.correlationId, replyTo: event.metadata?.replyTo } }];
        }),
      );
    await services.service({ channel, mode: 'pubsub' }, { effects: [pong] });
    const client = await services.client({ channel, mode: 'pubsub', maxMessageSize: 1_000, timeout: 2_000 });
    const error = await firstValueFrom(client.send({ type: 'Ping', payload: 'x'.repeat(2_000) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error).toMatchObject({ limit: 1_000, channel });
    expect((error as MessageTooLargeError).size).toBeGreaterThan(2_000);
    const reply = await firstValueFrom(client.send({ type: 'Ping', payload: 'y'.repeat(100) }));
    expect(reply.payload).toBe(100);
    expect(received).toEqual(['yyyyy']); // the big request never reached the service
  });

  test('a received message over the limit is dead-lettered with reason oversize, without running an effect; the service goes on', async () => {
    const channel = bed.channel('oversize');
    const seen: Event[] = [];
    const record: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Item'),
        act(async event => void seen.push(event)),
        filter(() => false),
      );
    await services.service({ channel, mode: 'streams', maxMessageSize: 1_000 }, { effects: [record] });
    const sender = await services.client({ channel, mode: 'streams', maxMessageSize: 0 }); // 0: no limit on this side
    await sender.emit({ type: 'Item', payload: 'y'.repeat(5_000) });
    await sender.emit({ type: 'Item', payload: 'small' });
    await waitFor(async () => seen.length === 1 && (await reasons(channel)).length === 1, 5_000, 'settled');
    expect(await reasons(channel)).toEqual(['oversize']);
    expect(seen.map(event => event.payload)).toEqual(['small']);
  });

  test('a negative limit is refused with an error that says how to fix it', async () => {
    await expect(services.client({ channel: bed.channel('bad'), mode: 'streams', maxMessageSize: -1 })).rejects.toThrow(/maxMessageSize.*bytes/);
  });
});
