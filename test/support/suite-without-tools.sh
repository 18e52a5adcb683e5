#!/bin/sh
# The suite as a fresh Debian machine with only Node runs it (test/support/hide-tools.sh: Debian's
# base binaries and node, nothing else), then the proof that every test it skipped names what it
# needs (test/support/skip-reasons.mjs). CI runs this as its own step; most tests skip, so it is
# quick. The reports go to .test-results/ (vitest-hidden-tools.json, bats-hidden-tools.tap), apart
# from the main run's.
#
# The type check is left out: tsc reads no tool from PATH, and the main run has done it.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p .test-results
vitest_report=.test-results/vitest-hidden-tools.json
bats_log=.test-results/bats-hidden-tools.tap
rm -f "$vitest_report" "$bats_log"

status=0
test/support/hide-tools.sh node bin/agentapi-kit.mjs generate --check >/dev/null || status=1
test/support/hide-tools.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$vitest_report" || status=1
test/support/hide-tools.sh node_modules/bats/bin/bats -r --formatter tap test >"$bats_log" || status=1
cat "$bats_log"
node test/support/skip-reasons.mjs "$vitest_report" "$bats_log" || status=1
exit "$status"
