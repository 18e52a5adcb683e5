// The harness's stand-in for the AgentAPI process the shutdown script signals, as old or new as
// the scenario's agentapi_version: before v0.12.0 AgentAPI has no signal handlers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { startFakeProcess } from '../../src/agent-simulation/fake-process.ts';

async function tempFile(onTestFinished: (fn: () => Promise<void>) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-process-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'signals.log');
}

describe.concurrent('startFakeProcess', () => {
  it('as AgentAPI >= v0.12.0 (the default): records SIGUSR1 and keeps running', async ({ expect, onTestFinished }) => {
    const fake = await startFakeProcess({ signalsFile: await tempFile(onTestFinished) });
    onTestFinished(() => fake.stop());
    process.kill(fake.pid, 'SIGUSR1');
    for (let tries = 0; tries < 100 && (await fake.signals()).length === 0; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await fake.signals()).map((entry) => entry.signal)).toEqual(['SIGUSR1']);
    expect(await fake.waitForExit(200)).toBe(false);
  });

  it.for(['SIGUSR1', 'SIGINT', 'SIGTERM'] as const)('as AgentAPI before v0.12.0: dies of %s at once', async (signal, { expect, onTestFinished }) => {
    const fake = await startFakeProcess({ signalsFile: await tempFile(onTestFinished), handlesSignals: false });
    onTestFinished(() => fake.stop());
    process.kill(fake.pid, signal);
    expect(await fake.waitForExit(5000)).toBe(true);
    expect((await fake.signals()).map((entry) => entry.signal)).toEqual([signal]);
  });
});
