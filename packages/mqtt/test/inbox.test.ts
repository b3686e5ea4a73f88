import type { IPublishPacket } from 'mqtt';
import { Inbox, REJECTED } from '../src/internal/Inbox';

const packet = (messageId: number, id: string, dup = false): IPublishPacket => ({
  cmd: 'publish',
  qos: 1,
  dup,
  retain: false,
  topic: 'orders',
  messageId,
  payload: Buffer.from(`{"type":"T","id":"${id}"}`),
  properties: { userProperties: { 'x-message-id': id } },
});

describe('Inbox (PUBACKs held until settlement)', () => {
  let sent: Array<[number, number]>;
  let online: boolean;
  let inbox: Inbox;

  beforeEach(() => {
    sent = [];
    online = true;
    inbox = new Inbox((id, code) => online && sent.push([id, code]) > 0);
    inbox.connected(false);
  });

  test('acknowledges once, when settled, with the reason code', () => {
    const a = inbox.receive(packet(1, 'a'))!;
    const b = inbox.receive(packet(2, 'b'))!;
    expect(sent).toEqual([]);
    expect(inbox.size).toBe(2);
    expect(inbox.settle(b, REJECTED)).toBe(true);
    expect(inbox.settle(a)).toBe(true);
    expect(inbox.settle(a)).toBe(false);
    expect(sent).toEqual([
      [2, REJECTED],
      [1, 0],
    ]);
    expect(inbox.size).toBe(0);
  });

  test('settled during an outage: acknowledged when the resumed session resends it, not delivered again', () => {
    const a = inbox.receive(packet(1, 'a'))!;
    online = false;
    expect(inbox.settle(a)).toBe(true);
    expect(sent).toEqual([]);
    online = true;
    inbox.connected(true);
    expect(inbox.receive(packet(1, 'a', true))).toBeUndefined();
    expect(sent).toEqual([[1, 0]]);
  });

  test('still unsettled when resent: kept with the work under way (not delivered twice), acknowledged on the new connection', () => {
    const a = inbox.receive(packet(1, 'a'))!;
    inbox.connected(true);
    expect(inbox.receive(packet(1, 'a', true))).toBeUndefined();
    inbox.settle(a);
    expect(sent).toEqual([[1, 0]]);
  });

  test('a settlement for an older connection is not sent on the new one before the broker resends the message', () => {
    const a = inbox.receive(packet(1, 'a'))!;
    inbox.connected(true);
    inbox.settle(a);
    expect(sent).toEqual([]); // packet id 1 belongs to the old connection until resent
    expect(inbox.receive(packet(1, 'a', true))).toBeUndefined();
    expect(sent).toEqual([[1, 0]]);
  });

  test('a session the broker did not keep orphans what was held: settling it does nothing', () => {
    const a = inbox.receive(packet(1, 'a'))!;
    inbox.connected(false);
    expect(inbox.settle(a)).toBe(false);
    expect(inbox.receive(packet(1, 'other'))).toBeDefined();
    expect(sent).toEqual([]);
  });

  test('a PUBACK lost with the connection: the resent message is acknowledged again, not delivered twice', () => {
    const a = inbox.receive(packet(1, 'a'))!;
    inbox.settle(a);
    expect(sent).toEqual([[1, 0]]);
    inbox.connected(true);
    expect(inbox.receive(packet(1, 'a', true))).toBeUndefined();
    expect(sent).toEqual([
      [1, 0],
      [1, 0],
    ]);
    // the broker reuses the id for another message: that one is new
    expect(inbox.receive(packet(1, 'b'))).toBeDefined();
  });
});
