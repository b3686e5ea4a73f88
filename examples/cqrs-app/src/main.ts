import { runScenario } from './scenario';

console.log('Tributary CQRS on the in-process EventBus\n');
runScenario().then(
  ({ accounts, transfers }) => {
    console.log('\nRead model:');
    for (const a of accounts) console.log(`  ${a.owner.padEnd(14)} balance ${String(a.balance).padStart(4)}  (${a.movements} movements)`);
    for (const t of transfers) console.log(`  ${t.transferId}: ${t.from} → ${t.to} ${t.amount}: ${t.status}${t.reason ? ` — ${t.reason}` : ''}`);
  },
  error => {
    console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
