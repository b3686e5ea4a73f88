import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import * as marble from '../src/marble/service';
import { runScenario } from '../src/scenario';
import * as tributary from '../src/tributary/service';

const run = async (start: () => Promise<{ client: any; close: () => Promise<void> }>) => {
  const service = await start();
  try {
    return await runScenario(service.client);
  } finally {
    await service.close();
  }
};

describe('the same service on Marble.js 4.1.0 and on Tributary', () => {
  it('gives the same replies and error replies, step by step', async () => {
    const onMarble = await run(() => marble.createStockService());
    const onTributary = await run(() => tributary.createStockService());
    expect(onTributary).toEqual(onMarble);
    expect(onTributary.map(r => r.outcome)).toEqual([
      { type: 'STOCK', payload: { sku: 'lamp', quantity: 3 } },
      { type: 'RESERVED', payload: { sku: 'lamp', quantity: 2, left: 1 } },
      { error: 'EventError', message: 'Not enough stock', data: { sku: 'lamp', available: 1 } },
      { error: 'EventError', message: 'Unknown SKU "chair"', data: { sku: 'chair' } },
      undefined,
      { type: 'STOCK', payload: { sku: 'lamp', quantity: 11 } },
      { error: 'Error', message: 'Audit log unavailable' },
    ]);
  });

  it('differs only in import paths', () => {
    const dir = (name: string) => join(__dirname, '..', 'src', name);
    const files = readdirSync(dir('marble')).sort();
    expect(readdirSync(dir('tributary')).sort()).toEqual(files);
    for (const file of files) {
      const ported = readFileSync(join(dir('marble'), file), 'utf8').replace(/'@marblejs\/(core|messaging)'/g, "'@tributary/$1'");
      expect(readFileSync(join(dir('tributary'), file), 'utf8')).toBe(ported);
    }
  });

  it('differs in behaviour where Marble.js fell short: an unhandled send is answered at once', async () => {
    const onMarble = await marble.createStockService(200);
    const onTributary = await tributary.createStockService(200);
    const ask = (service: { client: any }) => firstValueFrom(service.client.send({ type: 'NOBODY_HANDLES_THIS' })).catch((e: Error) => e.name);
    expect(await ask(onMarble)).toBe('TimeoutError'); // after 200 ms
    expect(await ask(onTributary)).toBe('UnhandledEventError'); // at once
    await Promise.all([onMarble.close(), onTributary.close()]);
  });
});
