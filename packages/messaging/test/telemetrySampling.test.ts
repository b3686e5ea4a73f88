import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { act, Event, matchEvent } from '@tributary/core';
import { LocalBroker, MsgEffect } from '@tributary/messaging';
import { eventually, localClient, startLocalService, uniqueChannel } from './helpers';

describe('OpenTelemetry with a sampler that drops everything', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const broker = new LocalBroker();
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    broker.reset();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('records nothing, but the unsampled context still travels: derived events keep its trace id and the not-sampled flag', async () => {
    const first = uniqueChannel('first');
    const second = uniqueChannel('second');
    const secondClient = await localClient(broker, second);
    const seen: Event[] = [];
    const first$: MsgEffect = e$ => e$.pipe(matchEvent('A'), act(async e => { seen.push(e); await secondClient.emit({ type: 'B', metadata: e.metadata }); }));
    const second$: MsgEffect = e$ => e$.pipe(matchEvent('B'), act(e => void seen.push(e)));
    const a = await startLocalService(broker, first, { effects: [first$] });
    const b = await startLocalService(broker, second, { effects: [second$] });
    const client = await localClient(broker, first);
    await client.emit({ type: 'A' });
    await eventually(() => seen.length === 2);
    const [traceA, traceB] = seen.map(e => e.metadata?.headers?.traceparent?.split('-'));
    expect(traceA?.[3]).toBe('00');
    expect(traceB?.[3]).toBe('00');
    expect(traceB?.[1]).toBe(traceA?.[1]);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await Promise.all([a.close(), b.close(), client.close(), secondClient.close()]);
  });
});
