/**
 * The shutdown script never blocks the workspace stop: with the module's default
 * timeouts, state persistence on, coderd never answering the upload and AgentAPI ignoring SIGTERM
 * (every wait at its longest), the script still exits 0 inside Docker's 10 s stop grace period,
 * having saved state, given up on the snapshot and killed AgentAPI. The duration bound is the
 * contract itself, not a speed target: by design the worst case is 1 s (state save) + 5 s
 * (snapshot deadline) + 2 s (terminate wait) and a few milliseconds, about 8 s.
 * Run through the harness: the real coder_script body from modules/agentapi/main.tf.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type Check, type Scenario } from '../../src/conformance/scenario.ts';
import { conversation } from '../../src/conformance/conversations.ts';
import { LOG } from '../../src/conformance/expectations.ts';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import type { Toolbox } from '../../src/agent-simulation/run-script.ts';
import { hasCommand } from '../support/commands.ts';

/** Docker's default stop grace period: after it the container runtime sends SIGKILL. */
const DOCKER_GRACE_MS = 10_000;

/** AgentAPI got SIGUSR1, then SIGTERM, and was finally killed (it ignores SIGTERM). */
const savedThenKilled: Check = async ({ process }) => {
  if (process === undefined) return ['no AgentAPI process was started'];
  const failures: string[] = [];
  const exited = await process.waitForExit(2000);
  const signals = (await process.signals()).map((entry) => entry.signal);
  const usr1 = signals.indexOf('SIGUSR1');
  const term = signals.indexOf('SIGTERM');
  if (usr1 === -1) failures.push('AgentAPI never got SIGUSR1');
  if (term === -1) failures.push('AgentAPI never got SIGTERM');
  if (usr1 !== -1 && term !== -1 && usr1 > term) failures.push('AgentAPI got SIGTERM before SIGUSR1');
  if (!exited) failures.push('AgentAPI was still running after the script finished');
  else if (process.ended()?.signal !== 'SIGKILL') failures.push(`AgentAPI ended by ${JSON.stringify(process.ended())}, expected SIGKILL`);
  return failures;
};

const worstCase: Scenario = {
  name: 'worst-case-time',
  short: 'worst',
  description: 'State persistence on, coderd hangs on every upload, AgentAPI ignores SIGTERM: every wait at its longest.',
  agentapi: { messages: conversation(Array.from({ length: 25 }, (_, index) => `message ${index}`)) },
  coderd: { fault: { hang: true } },
  agentapiProcess: 'ignores-term',
  variables: { enable_state_persistence: true, agentapi_version: 'v0.12.0' },
  expect: {
    present: [LOG.shuttingDown, LOG.sigusr1, LOG.captureFailed, LOG.sigterm, /still running 2s after SIGTERM, sending SIGKILL/, LOG.complete],
    absent: [LOG.posted],
    coderdPosts: { min: 1, max: 5 },
    checks: [savedThenKilled],
  },
};

const dash = SHELLS.find((shell) => shell.name === 'dash' && shell.available);

/** The full toolbox posts with curl (--max-time); BusyBox wget relies on timeout(1) alone. */
const cases: Array<{ toolbox: Toolbox; env: Record<string, string>; missing: string | undefined }> = [
  { toolbox: 'full', env: {}, missing: hasCommand('curl') ? undefined : 'curl' },
  { toolbox: 'busybox', env: { ARG_ALLOW_TOKEN_IN_ARGV: 'true' }, missing: hasCommand('busybox') ? undefined : 'busybox' },
];

describe.skipIf(dash === undefined)('with every wait at its longest, the script exits 0 within Docker\'s 10 s grace period', () => {
  for (const { toolbox, env, missing } of cases) {
    // concurrently: both are mostly waiting
    (missing === undefined ? it.concurrent : it.skip)(`dash, ${toolbox} toolbox${missing === undefined ? '' : ` (${missing} is not installed)`}`, async () => {
      const result = await runScenario({ ...worstCase, env }, dash!, toolbox);
      expect(result.failures, result.output).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.durationMs, result.output).toBeLessThan(DOCKER_GRACE_MS);
    });
  }
});
