import { act, matchEvent } from '@tributary/core';
import { firstValueFrom } from 'rxjs';
import type { ConformanceKit } from './internal/ConformanceKit';

/** A closed client refuses at once, saying so. */
export const closedClientCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('closed client: emit, send and publish reject at once with ConnectionClosedError', [], async c => {
    const channel = c.channel('closed-client');
    // a running service, so the warm-up emit has a consumer on every broker (MQTT refuses one without)
    await c.service(channel, { effects: [e$ => e$.pipe(matchEvent('Warmup'), act(() => undefined))] });
    const client = await c.client(channel, { extra: { timeout: 5_000 } });
    await client.emit({ type: 'Warmup' }); // connected and used
    await client.close();
    const started = Date.now();
    const failures = await Promise.all([
      client.emit({ type: 'Late' }).then(() => undefined, (error: Error) => error),
      firstValueFrom(client.send({ type: 'Late' })).then(() => undefined, (error: Error) => error),
      client.publish({ type: c.type('Late') }).then(() => undefined, (error: Error) => error),
    ]);
    expect(failures.map(failure => failure?.name)).toEqual(['ConnectionClosedError', 'ConnectionClosedError', 'ConnectionClosedError']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
};
