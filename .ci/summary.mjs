// Prints the one plain `N passed, N failed, N skipped` line CI reads, adding vitest's and bats' counts.
import { existsSync, readFileSync } from 'node:fs';

const [vitestJson, log] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (vitestJson && existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} else {
  console.log('(vitest wrote no report: it did not run, or failed before finishing)');
}

// bats prints TAP when its output is not a terminal.
for (const line of log && existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []) {
  if (/^ok \d+ .*# skip/.test(line)) skipped += 1;
  else if (/^ok \d+ /.test(line)) passed += 1;
  else if (/^not ok \d+ /.test(line)) failed += 1;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
