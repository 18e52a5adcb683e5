import type { Command } from 'commander';
import { type DemoOutcome, runDemo } from '../../demo/run-demo.ts';
import { shouldUseColor } from '../../demo/transcript.ts';
import { runWebDemo } from '../../demo/web-demo.ts';
import { CliError, UsageError } from '../errors.ts';
import { abortOnSignal } from '../signals.ts';

interface DemoFlags {
  web?: boolean;
  pace?: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Show a task log snapshot end to end: mock AgentAPI and coderd, the rendered shutdown script, the paused task\'s logs.')
    .option('--web', 'also serve the task page: first stdout line {"url"}, each state held --pace seconds, then serve until SIGINT/SIGTERM')
    .option('--pace <seconds>', 'with --web: how long each state stays on the page before the story moves on (default 5)')
    .action(async (flags: DemoFlags) => {
      const color = shouldUseColor(process.env, process.stdout.isTTY === true);
      const write = (text: string) => process.stdout.write(text);
      if (!flags.web && flags.pace !== undefined) throw new UsageError('--pace only goes with --web');
      const outcome = flags.web
        ? await runWebDemo({ color, write, paceMs: parsePace(flags.pace ?? '5') * 1000, signal: abortOnSignal() })
        : await runDemo({ color, write });
      if (outcome !== undefined) checkOutcome(outcome);
    });
}

function checkOutcome(outcome: DemoOutcome): void {
  if (outcome.script.exitCode !== 0) throw new CliError(`the shutdown script exited ${outcome.script.exitCode}`);
  if (outcome.logs.logs.length === 0) throw new CliError('no snapshot was stored: see the script log above');
}

function parsePace(text: string): number {
  const seconds = /^\d{1,4}(?:\.\d{1,3})?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 0 && seconds <= 3600)) throw new UsageError(`--pace must be a number of seconds from 0 to 3600, got ${JSON.stringify(text)}`);
  return seconds;
}
