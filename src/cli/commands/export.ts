import { resolve } from 'node:path';
import type { Command } from 'commander';
import { credentialsFromEnv, CredentialsError } from '../../export/credentials.ts';
import { ExportError, exportTasks } from '../../export/export-tasks.ts';
import { progressSink } from '../../export/progress.ts';
import { CliError, UsageError } from '../errors.ts';

interface ExportFlags {
  out: string;
  query: string;
  concurrency: string;
}

const MAX_CONCURRENCY = 16;

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Archive every task\'s conversation: lists the tasks CODER_SESSION_TOKEN can see on CODER_URL (both read from the environment, never from flags), fetches each one\'s logs (live, or its log snapshot) and writes per task the JSON coderd answered and a static HTML transcript, plus an index.html. Run it before upgrading Coder past v2.36, which removes Tasks.',
    )
    .requiredOption('--out <dir>', 'archive directory (created 0700; files 0600); a rerun updates it and skips unchanged tasks')
    .option('--query <q>', 'coderd task search query, e.g. "owner:alice" or "status:paused" (default: every task the token can see)', '')
    .option('--concurrency <n>', `tasks fetched at once (1 to ${MAX_CONCURRENCY})`, '4')
    .action(async (flags: ExportFlags) => {
      const concurrency = parseConcurrency(flags.concurrency);
      const credentials = readCredentials();
      const out = resolve(flags.out);
      const progress = progressSink(process.stdout, process.stderr);
      let summary;
      try {
        summary = await exportTasks({
          credentials,
          out,
          query: flags.query,
          concurrency,
          onListed: (count) => progress.listed(count),
          onTask: (outcome, done, total) => progress.task(outcome, done, total),
          onWideDirectory: (mode) => process.stderr.write(`Warning: ${out} can be read by other users (mode ${mode.toString(8)}); its files are 0600, but choose a private directory for an archive of conversations\n`),
        });
      } catch (error) {
        progress.finish();
        if (error instanceof ExportError) throw new CliError(error.message, 1);
        throw error;
      }
      progress.finish();
      const { counts } = summary;
      process.stdout.write(
        `Exported ${summary.total} ${summary.total === 1 ? 'task' : 'tasks'} to ${out}: ${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed. Open ${summary.indexPath}\n`,
      );
      if (counts.failed > 0) {
        process.stderr.write(`Error: ${counts.failed} ${counts.failed === 1 ? 'task' : 'tasks'} could not be exported (listed above); run export again to retry them\n`);
        process.exitCode = 1;
      }
    });
}

function parseConcurrency(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= MAX_CONCURRENCY)) throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(text)}`);
  return value;
}

function readCredentials() {
  try {
    return credentialsFromEnv();
  } catch (error) {
    if (error instanceof CredentialsError) throw new UsageError(error.message);
    throw error;
  }
}
