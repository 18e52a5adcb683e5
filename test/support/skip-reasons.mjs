#!/usr/bin/env node
// Checks that every skipped test says why, naming what it needs: in a vitest JSON report the
// test's full name (its describe blocks and title) says `needs ...` or `... not installed`; in a
// bats TAP log the reason after `# skip` does. Run after test/support/hide-tools.sh, where most
// tests skip:
//
//   node test/support/skip-reasons.mjs .test-results/vitest-hidden-tools.json .test-results/bats-hidden-tools.tap
//
// Prints each skipped test without a reason and exits 1 if there is one; otherwise prints how many
// tests skipped, and for which tools. A file that is missing or unreadable is an error (exit 2).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const REASON = /\bneeds\b|not installed/;

/** Full names of the skipped tests of a vitest JSON report, each with whether it gives a reason. */
export function vitestSkips(report) {
  return (report.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? [])
      .filter((test) => test.status === 'skipped' || test.status === 'pending' || test.status === 'todo')
      .map((test) => {
        const name = [...(test.ancestorTitles ?? []), test.title].join(' > ');
        return { name, reason: REASON.test(name) ? name : undefined };
      }),
  );
}

/** The skipped tests of a bats TAP log (`ok N name # skip reason`), each with its reason if it names a need. */
export function batsSkips(tap) {
  return tap
    .split('\n')
    .map((line) => /^ok \d+ (.*?) # skip\b ?(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, name, reason]) => ({ name, reason: REASON.test(reason) ? reason : undefined }));
}

/** The tools the reasons name, with how many skipped tests name each: `needs a, b` and `a is not installed`. */
export function toolCounts(skips) {
  const counts = new Map();
  for (const { reason } of skips) {
    if (reason === undefined) continue;
    const named = new Set();
    for (const match of reason.matchAll(/needs ([^()>]*?)(?:\)|$| > )/g)) {
      for (const piece of match[1].split(/,\s*|\s+or\s+|\s+and\s+/)) {
        // `bash as the login shell`: the tool, without the words around it
        const tool = piece.replace(/[()]/g, '').replace(/ as .*$/, '').trim();
        if (tool !== '') named.add(tool);
      }
    }
    for (const match of reason.matchAll(/(\S+) is not installed/g)) named.add(match[1].replace(/[()]/g, ''));
    for (const tool of named) counts.set(tool, (counts.get(tool) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function skipsOf(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error.message}`);
  }
  if (!file.endsWith('.json')) return batsSkips(text);
  try {
    return vitestSkips(JSON.parse(text));
  } catch (error) {
    throw new Error(`${file} is not a vitest JSON report: ${error.message}`);
  }
}

function main(files) {
  if (files.length === 0) throw new Error('usage: skip-reasons.mjs REPORT.json|LOG.tap ...');
  const skips = files.flatMap(skipsOf);
  const silent = skips.filter((skip) => skip.reason === undefined);
  for (const skip of silent) console.log(`skipped without naming what it needs: ${skip.name}`);
  const tools = toolCounts(skips).map(([tool, count]) => `${tool} ${count}`).join(', ');
  console.log(`${skips.length} skipped, ${silent.length} without a reason${tools === '' ? '' : `; needs: ${tools}`}`);
  return silent.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`Error: ${error.message}`);
    process.exitCode = 2;
  }
}
