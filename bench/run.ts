// `npm run bench [-- generate|shutdown|fleet] [-- --baseline PATH] [-- --write-readme]`: every speed and resource
// target of the project, measured and printed as tables. --baseline PATH also runs the registry's
// shutdown script (bash) on the same mocks and prints the ratios; --write-readme puts the tables it
// measured in README.md between their bench markers (generate, shutdown, fleet), so the README's figures
// are this output, never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchGenerate } from './generate.ts';

const README = resolve(import.meta.dirname, '../README.md');

/** Bad command-line arguments: exit status 2. */
class UsageError extends Error {}

interface Args {
  only?: string;
  baseline?: string;
  writeReadme: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { writeReadme: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--baseline') {
      const path = argv[index + 1];
      if (path === undefined) throw new UsageError('--baseline needs the path of the registry\'s agentapi-shutdown.sh');
      args.baseline = resolve(path);
      index += 1;
    } else if (arg === '--write-readme') args.writeReadme = true;
    else if (arg === 'generate' || arg === 'shutdown' || arg === 'fleet') args.only = arg;
    else throw new UsageError(`unknown argument ${arg} (expected generate, shutdown, fleet, --baseline PATH, --write-readme)`);
  }
  return args;
}

/** README.md with the text between the markers of `section` (generate, shutdown) replaced. */
function withTables(readme: string, section: string, tables: string, args: Args): string {
  const start = `<!-- bench:${section}:start -->`;
  const end = `<!-- bench:${section}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  const command = [section, ...(section === 'shutdown' && args.baseline !== undefined ? ['--baseline PATH'] : []), '--write-readme'].join(' ');
  const note = `<!-- written by \`npm run bench -- ${command}\` on ${new Date().toISOString().slice(0, 10)} -->`;
  return `${readme.slice(0, from + start.length)}\n${note}\n\n${tables}\n\n${readme.slice(to)}`;
}

function writeReadme(section: string, tables: string, args: Args): void {
  writeFileSync(README, withTables(readFileSync(README, 'utf8'), section, tables, args));
  console.log(`\nREADME.md: ${section} tables written`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.only === undefined || args.only === 'generate') {
    console.log('## generate\n');
    const table = await benchGenerate();
    console.log(table);
    if (args.writeReadme) writeReadme('generate', table, args);
  }
  if (args.only === undefined || args.only === 'shutdown') {
    const { shutdownBenchTables } = await import('./shutdown.ts');
    const tables = await shutdownBenchTables({ baseline: args.baseline });
    console.log('\n## shutdown script\n');
    console.log(tables);
    if (args.writeReadme) writeReadme('shutdown', tables, args);
  }
  if (args.only === undefined || args.only === 'fleet') {
    const { fleetBenchTable } = await import('./fleet.ts');
    const table = await fleetBenchTable();
    console.log('\n## fleet: many stop scripts at once\n');
    console.log(table);
    if (args.writeReadme) writeReadme('fleet', table, args);
  }
}

main().catch((error: unknown) => {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
