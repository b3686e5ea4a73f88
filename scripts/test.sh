#!/usr/bin/env bash
# The one test command (`npm test`): build and type-check everything, run the unit suites,
# make sure the brokers answer, then run the broker (integration) suites.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "▶ build (tsc -b) and type-check tests, examples and docs snippets"
npx tsc -b
npx tsc -p tsconfig.check.json
node scripts/check-docs.mjs

echo "▶ lint"
npx eslint . --max-warnings 0

echo "▶ brokers"
bash scripts/services.sh

echo "▶ tests"
# unit suites in parallel; broker suites one file at a time, since some of them stop and
# restart the brokers (a restart must never land inside another file's test)
unit="$(mktemp -t jest-unit.XXXXXX.json)"
integration="$(mktemp -t jest-integration.XXXXXX.json)"
status=0
npx jest --ci --selectProjects unit --json --outputFile="$unit" "$@" || status=$?
npx jest --ci --selectProjects integration --runInBand --json --outputFile="$integration" "$@" || status=$?
# one plain summary line for CI: "Tests: N passed, N failed"
node -e '
  const runs = process.argv.slice(1).map(f => { try { return require(f); } catch { return { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0 }; } });
  const sum = k => runs.reduce((n, r) => n + (r[k] || 0), 0);
  const skipped = sum("numPendingTests");
  console.log(`Tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$unit" "$integration" || true
rm -f "$unit" "$integration"
exit $status
