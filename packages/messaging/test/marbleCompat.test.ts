import { bindTo } from '@tributary/core';
import { createMicroservice, LocalBroker, messagingListener, Transport } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { localClient, uniqueChannel } from './helpers';

describe('a Marble.js v4 messaging service ported by changing imports only', () => {
  it('runs unchanged on Tributary', async () => {
    // point the Marble imports at Tributary: the only change a port makes
    jest.doMock('@marblejs/core', () => jest.requireActual('@tributary/core'));
    jest.doMock('@marblejs/messaging', () => jest.requireActual('@tributary/messaging'));
    const { fibonacci$, failing$, FibStatsToken } = await import('./fixtures/marble-effects.js');

    const broker = new LocalBroker();
    const channel = uniqueChannel('fib');
    const stats = { calls: 0 };
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker },
      listener: messagingListener({ effects: [fibonacci$ as any, failing$ as any] }),
      dependencies: [bindTo(FibStatsToken as any)(stats)],
    });
    const connection = await microservice();
    const client = await localClient(broker, channel, { timeout: 5000 });

    const result = await firstValueFrom(client.send({ type: 'FIB', payload: 10 }));
    expect(result).toMatchObject({ type: 'FIB_RESULT', payload: 55 });
    expect(stats.calls).toBe(1);

    const error = await firstValueFrom(client.send({ type: 'FAIL' })).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('It failed');

    await connection.close();
    jest.dontMock('@marblejs/core');
    jest.dontMock('@marblejs/messaging');
  });
});
