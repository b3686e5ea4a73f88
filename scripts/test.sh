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
results="$(mktemp -t jest-results.XXXXXX.json)"
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# one plain summary line for CI: "Tests: N passed, N failed"
node -e 'const r=require(process.argv[1]);console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`+(r.numPendingTests?`, ${r.numPendingTests} skipped`:""))' "$results" || true
rm -f "$results"
exit $status
