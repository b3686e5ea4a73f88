import type { Observable } from 'rxjs';
import { firstValueFrom } from 'rxjs';

/** The part of a messaging client the scenario uses: Marble.js's and Tributary's alike. */
export interface ScenarioClient {
  send(event: { type: string; payload?: unknown }): Observable<{ type: string; payload?: unknown }>;
  emit(event: { type: string; payload?: unknown }): Promise<void>;
}

/** What a caller saw: a reply's type and payload, or an error's name, message and data. */
export type Outcome = { type: string; payload?: unknown } | { error: string; message: string; data?: unknown };

type Step = { send: { type: string; payload?: unknown } } | { emit: { type: string; payload?: unknown } };

export const SCENARIO: readonly Step[] = [
  { send: { type: 'GET_STOCK', payload: { sku: 'lamp' } } },
  { send: { type: 'RESERVE', payload: { sku: 'lamp', quantity: 2 } } },
  { send: { type: 'RESERVE', payload: { sku: 'lamp', quantity: 2 } } },
  { send: { type: 'GET_STOCK', payload: { sku: 'chair' } } },
  { emit: { type: 'RESTOCK', payload: { sku: 'lamp', quantity: 10 } } },
  { send: { type: 'GET_STOCK', payload: { sku: 'lamp' } } },
  { send: { type: 'AUDIT' } },
];

const describe = (step: Step): string => ('send' in step ? `send ${step.send.type}` : `emit ${step.emit.type}`) + ` ${JSON.stringify('send' in step ? step.send.payload ?? {} : step.emit.payload)}`;

/** Runs the scenario against a client; what each `send` got back, in order. */
export const runScenario = async (client: ScenarioClient): Promise<Array<{ step: string; outcome?: Outcome }>> => {
  const results: Array<{ step: string; outcome?: Outcome }> = [];
  for (const step of SCENARIO) {
    if ('emit' in step) {
      await client.emit(step.emit);
      // an emit has no answer: give the service a moment before the next question
      await new Promise(resolve => setTimeout(resolve, 20));
      results.push({ step: describe(step) });
      continue;
    }
    const outcome = await firstValueFrom(client.send(step.send)).then(
      (reply): Outcome => ({ type: reply.type, payload: reply.payload }),
      (error: Error & { data?: unknown }): Outcome => ({ error: error.name, message: error.message, ...(error.data !== undefined && { data: error.data }) }),
    );
    results.push({ step: describe(step), outcome });
  }
  return results;
};
