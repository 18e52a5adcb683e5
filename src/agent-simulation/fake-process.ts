/**
 * A stand-in for the AgentAPI process the shutdown script signals: a tiny node process that
 * records every signal it gets (with a timestamp) to a file, and optionally ignores SIGTERM. As an
 * AgentAPI before v0.12.0 (no signal handlers) it dies of SIGTERM, SIGINT and SIGUSR1 alike.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FakeProcessOptions {
  /** File the process appends `<signal> <epoch ms>` lines to; `READY` once its handlers are in place. */
  signalsFile: string;
  /** Keep running after SIGTERM (the script must then kill it after its wait). */
  ignoreTerm?: boolean;
  /** false: behave as AgentAPI before v0.12.0, which any of SIGTERM, SIGINT, SIGUSR1 ends at once (default true). */
  handlesSignals?: boolean;
}

export interface RecordedSignal {
  signal: string;
  at: number;
}

export interface FakeProcess {
  pid: number;
  signals(): Promise<RecordedSignal[]>;
  /** True while the process has not exited. */
  alive(): boolean;
  /** How it ended, once it has (signal name when killed, else exit code). */
  ended(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves true once the process has exited, false if it is still running after `ms`. */
  waitForExit(ms: number): Promise<boolean>;
  /** Kills it if still running (cleanup; never part of an assertion). */
  stop(): Promise<void>;
}

// SIGUSR1 must be handled explicitly: node's default for it is to start the inspector.
const PROGRAM = `
const fs = require('node:fs');
const [file, mode] = process.argv.slice(1);
const record = (name) => fs.appendFileSync(file, name + ' ' + Date.now() + '\\n');
const fatal = mode === 'no-handlers' ? ['SIGUSR1', 'SIGINT', 'SIGTERM'] : ['SIGTERM'];
for (const name of ['SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGQUIT']) {
  process.on(name, () => {
    record(name);
    if (fatal.includes(name) && mode !== 'ignore-term') process.exit(0);
  });
}
setInterval(() => {}, 1 << 30);
record('READY');
`;

export async function startFakeProcess(opts: FakeProcessOptions): Promise<FakeProcess> {
  const mode = opts.ignoreTerm ? 'ignore-term' : opts.handlesSignals === false ? 'no-handlers' : 'exit-on-term';
  const child = spawn(process.execPath, ['-e', PROGRAM, opts.signalsFile, mode], {
    stdio: 'ignore',
    detached: true,
  });
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      ended = { code, signal };
      resolve();
    });
  });
  if (child.pid === undefined) throw new Error('could not start the fake AgentAPI process');
  const signals = async (): Promise<RecordedSignal[]> => {
    const text = await readFile(opts.signalsFile, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [signal = '', at = '0'] = line.split(' ');
        return { signal, at: Number(at) };
      });
  };
  // Wait until the handlers are installed, or a SIGUSR1 would start node's inspector instead.
  for (let waited = 0; !(await signals()).some((entry) => entry.signal === 'READY'); waited += 10) {
    if (ended !== undefined || waited > 10_000) throw new Error('the fake AgentAPI process did not start');
    await sleep(10);
  }
  const pid = child.pid;
  return {
    pid,
    signals: async () => (await signals()).filter((entry) => entry.signal !== 'READY'),
    alive: () => ended === undefined,
    ended: () => ended,
    waitForExit: async (ms) => {
      if (ended !== undefined) return true;
      await Promise.race([exited, sleep(ms)]);
      return ended !== undefined;
    },
    stop: async () => {
      if (ended !== undefined) return;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    },
  };
}
