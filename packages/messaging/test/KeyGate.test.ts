import { KeyGate } from '../src/internal/KeyGate';

describe('KeyGate (per-key order, keyed concurrency)', () => {
  it('runs one piece of work per key at a time, in order, and different keys side by side', () => {
    const gate = new KeyGate(10);
    const started: string[] = [];
    for (const name of ['a1', 'b1', 'a2', 'a3', 'b2']) gate.enter(name[0], () => started.push(name));
    expect(started).toEqual(['a1', 'b1']);
    gate.leave('a');
    expect(started).toEqual(['a1', 'b1', 'a2']);
    gate.leave('b');
    gate.leave('a');
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    gate.leave('a');
    gate.leave('b');
    expect(gate.size).toBe(0);
  });

  it('runs at most `concurrency` keys at once; a key waiting for a slot keeps its later work behind it', () => {
    const gate = new KeyGate(2);
    const started: string[] = [];
    for (const name of ['a1', 'b1', 'c1', 'c2', 'd1']) gate.enter(name[0], () => started.push(name));
    expect(started).toEqual(['a1', 'b1']);
    gate.leave('a'); // its slot goes to c, the first key waiting
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gate.leave('c'); // c's own next piece keeps the slot
    expect(started).toEqual(['a1', 'b1', 'c1', 'c2']);
    gate.leave('c');
    expect(started).toEqual(['a1', 'b1', 'c1', 'c2', 'd1']);
  });
});
