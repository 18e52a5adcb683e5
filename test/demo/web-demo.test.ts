import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { runWebDemo } from '../../src/demo/web-demo.ts';
import { CLI, runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

/** Runs `demo --web` in-process, stopping it when `stopWhen` first matches what it wrote so far. */
async function webDemo(paceMs: number, stopWhen: RegExp, onStop: (url: string) => Promise<void> = async () => {}) {
  const controller = new AbortController();
  let printed = '';
  let stopping = false;
  const outcome = await runWebDemo({
    color: false,
    paceMs,
    signal: controller.signal,
    write: (text) => {
      printed += text;
      if (stopping || !stopWhen.test(printed)) return;
      stopping = true;
      const { url } = JSON.parse(printed.split('\n')[0] as string) as { url: string };
      void onStop(url).finally(() => controller.abort());
    },
  });
  return { outcome, printed };
}

describe('demo --web', () => {
  // The story's shutdown script posts the snapshot with curl, or wget when curl is missing.
  it.skipIf(!hasCommand('curl') && !hasCommand('wget'))('prints the task page first, tells the whole story, then keeps the page up until stopped (needs curl or wget)', async () => {
    const seen: { page?: number; logs?: { snapshot?: boolean; logs: Array<{ content: string }> } } = {};
    const { outcome, printed } = await webDemo(0, /The story is over/, async (url) => {
      const page = await fetch(url);
      seen.page = page.status;
      // The page signs the browser in with a cookie; the logs request uses it as the page's script does.
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const { pathname, origin } = new URL(url);
      seen.logs = await (await fetch(`${origin}/api/v2${pathname}/logs`, { headers: { cookie } })).json();
    });
    expect(JSON.parse(printed.split('\n')[0] as string)).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/tasks\/mock-user\/[0-9a-f-]{36}$/) });
    expect(printed).toContain('Log snapshot posted successfully');
    expect(seen.page).toBe(200);
    expect(seen.logs?.snapshot).toBe(true);
    expect(seen.logs?.logs.at(-1)?.content.startsWith('[...content truncated, showing last ')).toBe(true);
    expect(outcome?.logs.logs).toHaveLength(1);
  });

  it('stops cleanly mid-story: no outcome, the servers closed', async () => {
    let pageUrl = '';
    const { outcome } = await webDemo(60_000, /Task is live/, async (url) => {
      pageUrl = url;
    });
    expect(outcome).toBeUndefined();
    await expect(fetch(pageUrl)).rejects.toThrow();
  });

  it('runs from the CLI: first line {"url"} and the page is up; SIGTERM mid-story exits 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--web'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
    const [firstLine] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { url } = JSON.parse(firstLine) as { url: string };
    expect(Object.keys(JSON.parse(firstLine))).toEqual(['url']);
    // The page itself, not only its status: from dist/ it once answered 200 with an empty body.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/web/main.js"');
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toBe('');
  });

  it('--pace without --web is a usage error', () => {
    const result = runCli(['demo', '--pace', '1']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('Error: --pace only goes with --web');
  });
});
