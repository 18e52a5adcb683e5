import type { TaskOutcome } from './export-tasks.ts';

export interface ProgressSink {
  listed(count: number): void;
  task(outcome: TaskOutcome, done: number, total: number): void;
  /** Ends the bar (if any) before the summary is printed. */
  finish(): void;
}

const BAR_WIDTH = 30;

/**
 * On a terminal: one bar on stderr, redrawn in place, with failures printed above it as they
 * happen. Elsewhere (CI logs, pipes): one line per task on stdout, so a log shows every task.
 */
export function progressSink(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): ProgressSink {
  return stderr.isTTY ? barSink(stderr) : lineSink(stdout);
}

function lineSink(out: NodeJS.WritableStream): ProgressSink {
  return {
    listed: (count) => out.write(`Listed ${count} ${count === 1 ? 'task' : 'tasks'}\n`),
    task: (outcome, done, total) => out.write(`[${done}/${total}] ${outcomeLine(outcome)}\n`),
    finish: () => {},
  };
}

function barSink(err: NodeJS.WriteStream): ProgressSink {
  let drawn = false;
  const draw = (done: number, total: number): void => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    err.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} tasks`);
    drawn = true;
  };
  const clear = (): void => {
    if (drawn) err.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    listed: (count) => draw(0, count),
    task: (outcome, done, total) => {
      if (outcome.result === 'failed') {
        clear();
        err.write(`${outcomeLine(outcome)}\n`);
      }
      draw(done, total);
    },
    finish: clear,
  };
}

export function outcomeLine({ task, result, detail }: TaskOutcome): string {
  const name = `${task.owner_name}/${task.name} (${task.id})`;
  return result === 'failed' ? `failed    ${name}: ${detail}` : `${result.padEnd(9)} ${name}: ${detail}`;
}
