import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.ts';
import { shouldUseColor } from '../../demo/transcript.ts';
import { CliError } from '../errors.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Show a task log snapshot end to end: mock AgentAPI and coderd, the rendered shutdown script, the paused task\'s logs.')
    .action(async () => {
      const outcome = await runDemo({
        color: shouldUseColor(process.env, process.stdout.isTTY === true),
        write: (text) => process.stdout.write(text),
      });
      if (outcome.script.exitCode !== 0) throw new CliError(`the shutdown script exited ${outcome.script.exitCode}`);
      if (outcome.logs.logs.length === 0) throw new CliError('no snapshot was stored: see the script log above');
    });
}
