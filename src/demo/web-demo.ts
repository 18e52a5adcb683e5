import { setTimeout as delay } from 'node:timers/promises';
import { type DemoOutcome, type DemoStage, runDemo } from './run-demo.ts';

export interface WebDemoOptions {
  color: boolean;
  write: (text: string) => void;
  /** How long each state stays on screen before the story moves on, so a person can watch it. */
  paceMs: number;
  /** Aborted on SIGINT/SIGTERM: ends the story wherever it is, or the wait after it. */
  signal: AbortSignal;
}

/**
 * `demo --web`: the demo's story with the mock coderd's task page open. The first line written is
 * `{"url": <the task page>}` (like the mock commands), each state then stays `paceMs` on screen,
 * and once the story is over the page stays up until the signal. Resolves undefined when stopped
 * before the end (not a failure: the person watching decided).
 */
export async function runWebDemo(options: WebDemoOptions): Promise<DemoOutcome | undefined> {
  let pageUrl = '';
  const stage: DemoStage = {
    started: ({ taskPageUrl }) => {
      pageUrl = taskPageUrl;
      options.write(`${JSON.stringify({ url: taskPageUrl })}\n`);
    },
    reached: async () => {
      if (options.paceMs > 0) await delay(options.paceMs, undefined, { signal: options.signal });
      options.signal.throwIfAborted();
    },
    finished: async () => {
      options.write(`The story is over. The task page stays at ${pageUrl} until Ctrl-C.\n`);
      await aborted(options.signal);
    },
  };
  try {
    return await runDemo({ color: options.color, write: options.write, stage });
  } catch (error) {
    if (options.signal.aborted) return undefined;
    throw error;
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
