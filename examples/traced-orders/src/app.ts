import { startShop } from './services';
import { traceTree } from './traceTree';
import { startTracing } from './tracing';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Places one order across the three services and returns the lines of its trace tree. */
export const traceOneOrder = async (extra: SpanExporter[] = []): Promise<string[]> => {
  const tracing = startTracing(extra);
  const shop = await startShop();
  try {
    await shop.placeOrder({ id: 'order-42', amount: 40 });
    await shop.shipped('order-42');
    // the last spans end when the handlers' work settles
    await new Promise(resolve => setTimeout(resolve, 20));
    return traceTree(tracing.exporter.getFinishedSpans());
  } finally {
    await shop.close();
    await tracing.shutdown();
  }
};
