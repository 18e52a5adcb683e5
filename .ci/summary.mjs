// Prints the one plain `N passed, N failed, N skipped` line CI reads, adding up every vitest JSON
// report (npm test's and the full matrix step's) and the bats TAP lines of every log given.
// Usage: node .ci/summary.mjs REPORT.json... LOG...
import { existsSync, readFileSync } from 'node:fs';

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

for (const report of files.filter((file) => file.endsWith('.json'))) {
  if (!existsSync(report)) {
    console.log(`(no vitest report ${report}: that step did not run, or failed before finishing)`);
    failed += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}

// bats prints TAP when its output is not a terminal.
for (const log of files.filter((file) => !file.endsWith('.json') && existsSync(file))) {
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (/^ok \d+ .*# skip/.test(line)) skipped += 1;
    else if (/^ok \d+ /.test(line)) passed += 1;
    else if (/^not ok \d+ /.test(line)) failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
