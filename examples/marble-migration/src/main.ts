import * as marble from './marble/service';
import { Outcome, runScenario } from './scenario';
import * as tributary from './tributary/service';

const show = (outcome?: Outcome) =>
  outcome === undefined ? '(no answer: emitted)' : 'error' in outcome ? `✘ ${outcome.error}: ${outcome.message}` : `${outcome.type} ${JSON.stringify(outcome.payload)}`;

const run = async (start: () => Promise<{ client: any; close: () => Promise<void> }>) => {
  const service = await start();
  try {
    return await runScenario(service.client);
  } finally {
    await service.close();
  }
};

const main = async () => {
  const onMarble = await run(() => marble.createStockService());
  const onTributary = await run(() => tributary.createStockService());
  console.log('The same stock service, on Marble.js 4.1.0 and on Tributary (only the imports differ)\n');
  onMarble.forEach(({ step, outcome }, i) => {
    const other = onTributary[i].outcome;
    const same = JSON.stringify(outcome) === JSON.stringify(other);
    console.log(`${step}\n  Marble.js : ${show(outcome)}\n  Tributary : ${show(other)}${same ? '' : '   ← differs'}`);
  });
  const identical = JSON.stringify(onMarble) === JSON.stringify(onTributary);
  console.log(identical ? '\n✔ identical replies' : '\n✘ the replies differ');
  if (!identical) process.exitCode = 1;
};

main().catch(error => {
  console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
