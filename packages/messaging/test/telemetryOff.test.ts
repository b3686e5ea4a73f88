import { trace } from '@opentelemetry/api';
import { act, createLogger, Event, matchEvent } from '@tributary/core';
import { LocalBroker, messagingListener, Transport, createMicroservice } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { createInstrumentation } from '../src/internal/telemetry/DeliveryTelemetry';
import { startProducerSpan } from '../src/internal/telemetry/ProducerSpan';
import * as Messaging from '@tributary/messaging';
import * as DeliveryTelemetryModule from '../src/internal/telemetry/DeliveryTelemetry';
import * as InstrumentationModule from '../src/internal/telemetry/Instrumentation';
import * as OtelApiModule from '../src/internal/telemetry/otelApi';
import { eventually, localClient, uniqueChannel } from './helpers';

describe('OpenTelemetry installed, no provider registered', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it('emit, send and publish work; nothing is injected into headers; the user headers object is passed as it is', async () => {
    expect(trace.getActiveSpan()).toBeUndefined();
    const channel = uniqueChannel('off');
    const seen: Event[] = [];
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker, subscribe: ['Published'] },
      listener: messagingListener({ effects: [e$ => e$.pipe(act(e => void seen.push(e)))] }),
    });
    const connection = await microservice();
    const client = await localClient(broker, channel);
    const headers = { tenant: 't-1' };
    await client.emit({ type: 'Emitted', metadata: { headers } });
    await client.publish({ type: 'Published' });
    await firstValueFrom(client.send({ type: 'Asked' })).catch(() => undefined);
    await eventually(() => seen.length === 3);
    expect(seen[0].metadata?.headers).toBe(headers);
    expect(seen[1].metadata?.headers).toBeUndefined();
    expect(seen.every(e => !e.metadata?.headers?.traceparent)).toBe(true);
    await connection.close();
    await client.close();
  });

  it('the producer seam makes no span object and leaves metadata alone', () => {
    const event: Event = { type: 'X', metadata: { id: '1' } };
    expect(startProducerSpan('local', 'send', 'c', event, undefined)).toBeUndefined();
    expect(event.metadata).toEqual({ id: '1' });
  });

  it('with debug logs off and no slowHandlerWarning, the machine instrumentation is a pass-through', () => {
    const instrumentation = createInstrumentation({ system: 'local', channel: 'c', logger: createLogger({ level: 'info' }), slowHandlerWarning: 0, inFlight: () => 0 });
    expect(instrumentation.logData(undefined)).toBeUndefined();
    const data = { a: 1 };
    expect(instrumentation.logData(data)).toBe(data);
    instrumentation.stop();
  });
});

describe('OpenTelemetry not installed', () => {
  it('a guarded require: no error, no warning, the no-op instrumentation, services work', async () => {
    jest.resetModules();
    jest.doMock('@opentelemetry/api', () => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
    });
    const warn = jest.spyOn(console, 'warn');
    const error = jest.spyOn(console, 'error');
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { otelApi } = require('../src/internal/telemetry/otelApi') as typeof OtelApiModule;
    expect(otelApi()).toBeUndefined();
    const telemetry = require('../src/internal/telemetry/DeliveryTelemetry') as typeof DeliveryTelemetryModule;
    const { NOOP_INSTRUMENTATION: noop } = require('../src/internal/telemetry/Instrumentation') as typeof InstrumentationModule;
    expect(telemetry.createInstrumentation({ system: 'local', channel: 'c', logger: createLogger({ level: 'info' }), slowHandlerWarning: 0, inFlight: () => 0 })).toBe(noop);
    const messaging = require('@tributary/messaging') as typeof Messaging;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const broker = new messaging.LocalBroker();
    const channel = uniqueChannel('none');
    const seen: Event[] = [];
    const microservice = await messaging.createMicroservice({
      transport: messaging.Transport.LOCAL,
      options: { channel, broker },
      listener: messaging.messagingListener({ effects: [e$ => e$.pipe(matchEvent('Ping'), act(e => void seen.push(e)))] }),
    });
    const connection = await microservice();
    const client = await messaging.MessagingClient({ transport: messaging.Transport.LOCAL, options: { channel, broker } })(undefined as never);
    await client.emit({ type: 'Ping' });
    await eventually(() => seen.length === 1);
    expect(seen[0].metadata?.headers).toBeUndefined();
    expect(connection.health().status).toBe('up');
    await connection.close();
    await client.close();
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
