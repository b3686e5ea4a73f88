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
// jest ORs its path patterns: each filter becomes "<filter>.*<a chaos file>", so that
// `npm run chaos -- packages/kafka` runs the Kafka chaos file only (not every Kafka test)
const CHAOS_FILE = 'packages/[^/]+/test/chaos\\.integration\\.test\\.ts$';
const filters = process.argv.slice(2);
const patterns = filters.length > 0 ? filters.map(filter => `${filter}.*${CHAOS_FILE.replace('packages/[^/]+/', '')}`) : [CHAOS_FILE];
const status = run('npx', ['jest', '--ci', '--selectProjects', 'integration', '--runInBand', ...patterns], { CHAOS_EMITS: emits });
console.log(status === 0 ? `chaos: ${emits} emits per transport, nothing lost` : 'chaos: FAILED (see the tables above: lost > 0, or a run did not finish)');
process.exit(status);
