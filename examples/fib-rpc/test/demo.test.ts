import { runDemo } from '../src/demo';
import { createWiring, transportFromArgs } from '../src/wiring';

describe('the demo (npm start) on the in-process bus', () => {
  it('prints values for good requests and the reason for each refused one', async () => {
    const lines = await runDemo(createWiring('local'), false);
    expect(lines).toEqual([
      { n: 10, value: '55' },
      { n: 90, value: '2880067194370816120' },
      { n: 1000, value: expect.stringMatching(/^43466557686937456\d{192}$/) },
      { n: -1, error: 'EventError: Event "Fib" failed validation: payload.n: expected NonNegativeInteger, received -1' },
      { n: 2.5, error: expect.stringContaining('received 2.5') },
      { n: 'ten', error: expect.stringContaining('received "ten"') },
      { n: 20_000, error: 'EventError: F(20000) is too large to compute here: n must be at most 10000' },
    ]);
  });

  it('reads --transport', () => {
    expect(transportFromArgs(['node', 'main.js'])).toBe('local');
    expect(transportFromArgs(['node', 'main.js', '--transport', 'redis'])).toBe('redis');
    expect(() => transportFromArgs(['node', 'main.js', '--transport', 'kafka'])).toThrow('Unknown transport "kafka"');
  });
});
