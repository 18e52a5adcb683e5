// `npm run bench [-- generate|shutdown|fleet] [-- --baseline PATH] [-- --write-readme]`: every speed and resource
// target of the project, measured and printed as tables. --baseline PATH also runs the registry's
// shutdown script (bash) on the same mocks and prints the ratios; --write-readme puts the tables it
// measured in README.md between their bench markers (generate, shutdown, fleet), so the README's figures
// are this output, never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { benchGenerate } from './generate.ts';

const README = resolve(import.meta.dirname, '../README.md');

interface Args {
  only?: string;
  baseline?: string;
  writeReadme: boolean;
}

const PARTS = ['generate', 'shutdown', 'fleet'] as const;

/** commander reads the arguments: one optional part, --baseline PATH, --write-readme; a mistake exits 2 with a usage line. */
function parseArgs(argv: string[]): Args {
  const program = new Command('npm run bench --')
    .argument('[part]', `one of ${PARTS.join(', ')} (default: all of them)`)
    .option('--baseline <path>', "the registry's agentapi-shutdown.sh, run on the same mocks for the ratios")
    .option('--write-readme', 'write the tables measured into README.md between their bench markers', false)
    .showHelpAfterError()
    .parse(argv, { from: 'user' });
  const part = program.args[0];
  if (part !== undefined && !(PARTS as readonly string[]).includes(part)) program.error(`Error: unknown part ${JSON.stringify(part)} (expected ${PARTS.join(', ')})`, { exitCode: 2 });
  const options = program.opts<{ baseline?: string; writeReadme: boolean }>();
  return { only: part, baseline: options.baseline === undefined ? undefined : resolve(options.baseline), writeReadme: options.writeReadme };
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
  process.exitCode = 1;
});
