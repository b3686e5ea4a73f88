#!/usr/bin/env node
// `npm run chaos`: the chaos run of every transport with durable delivery at full size
// (docs/testing.md, "Chaos run"). Builds the packages (the consumer processes run the built
// code), then runs every packages/*/test/chaos.integration.test.ts one file at a time with
// CHAOS_EMITS (default 5000) emits each. Each prints its table; any lost emit fails the run.
// `npm test` runs the same files at 500 emits. Usage: npm run chaos [-- <jest path filter>]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args, env = {}) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const emits = process.env.CHAOS_EMITS ?? '5000';
if (run('npx', ['tsc', '-b']) !== 0) process.exit(1);
const filters = process.argv.slice(2);
const status = run(
  'npx',
  ['jest', '--ci', '--selectProjects', 'integration', '--runInBand', '--testPathPattern', 'packages/[^/]+/test/chaos\\.integration\\.test\\.ts$', ...filters],
  { CHAOS_EMITS: emits },
);
console.log(status === 0 ? `chaos: ${emits} emits per transport, nothing lost` : 'chaos: FAILED (see the tables above: lost > 0, or a run did not finish)');
process.exit(status);
