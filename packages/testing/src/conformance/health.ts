import type { ConformanceKit } from './internal/ConformanceKit';

/**
 * `health()` follows the connection: `up`, `degraded` while it is cut (the transport reports
 * the loss on `status$`), `up` once restored, `down` after close; for a client too.
 */
export const healthCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('health: up, degraded while the connection is cut, up once restored, down after close (service and client)', ['faultInjection'], async c => {
    const channel = c.channel('health');
    const fault = await c.fault();
    const service = await c.service(channel, { effects: [] }, { fault });
    const client = await c.client(channel, { fault });
    expect(service.health()).toMatchObject({ status: 'up', channel, inFlight: 0 });
    expect(client.health()).toMatchObject({ status: 'up', channel, inFlight: 0 });

    await fault.cut();
    const statuses = () => [service.health().status, client.health().status];
    await c.waitFor(() => statuses().every(s => s === 'degraded'), 'health() to be degraded while the connection is cut', statuses);
    await fault.restore();
    await c.waitFor(() => statuses().every(s => s === 'up'), 'health() to be up once the connection is back', statuses);

    await service.close();
    await client.close();
    expect(statuses()).toEqual(['down', 'down']);
  });
};
