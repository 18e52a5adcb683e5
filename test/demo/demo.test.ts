import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.ts';
import { runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

/** The demo's shutdown script posts the snapshot with curl, or wget when curl is missing. */
const noHttpClient = !hasCommand('curl') && !hasCommand('wget');

describe('demo', () => {
  it.skipIf(noHttpClient)('uploads the snapshot through the coder_script wrapper and reads it back as a paused task (needs curl or wget)', async () => {
    let printed = '';
    const outcome = await runDemo({ color: false, write: (text) => (printed += text) });
    expect(outcome.firstScript.exitCode).toBe(0);
    expect(outcome.firstScript.output).toContain('Log snapshot posted successfully');
    expect(outcome.firstScript.output).not.toContain('truncating');
    // The first stop keeps the whole opening: who said what, multibyte intact.
    expect(outcome.first.logs.map((entry) => entry.type)).toEqual(['input', 'output', 'input', 'output', 'input', 'output', 'input']);
    expect(outcome.first.logs[0]?.content).toContain('東京');
    expect(outcome.script.exitCode).toBe(0);
    expect(outcome.script.output).toContain('Log snapshot posted successfully');
    expect(outcome.script.output).toContain('truncating final message content');
    expect(outcome.logs.snapshot).toBe(true);
    expect(outcome.logs.snapshot_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const last = outcome.logs.logs.at(-1);
    expect(last?.type).toBe('output');
    expect(last?.content.startsWith('[...content truncated')).toBe(true);
    expect(last?.content.endsWith('All green ✅')).toBe(true);
    expect(printed).toContain("Task is live: showing AgentAPI's conversation");
    expect(printed.match(/Task is paused: showing the log snapshot taken at/g)).toHaveLength(2);
    expect(printed).toContain('You ·');
    expect(printed).toContain('Shutting down AgentAPI');
  });

  it.skipIf(noHttpClient)('runs from the CLI, honours NO_COLOR and exits 0 (needs curl or wget)', () => {
    const result = runCli(['demo'], { env: { NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Agent ·');
    expect(result.stdout).not.toContain('\u001b[');
  });
});
