/**
 * The Coder agent passes a coder_script body as one argument of `<shell> -c`, and Linux refuses an
 * argument longer than MAX_BODY_BYTES (src/contract/hand-off.ts). The module checks that bound at
 * plan time: the largest body it accepts still starts under every login shell, and one step more
 * is refused by the plan with a sentence, never by the kernel at start.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readHandOff } from '../../src/contract/hand-off.ts';
import { DEFAULT_MODULE_DIR, evaluateModuleCall, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody, SCRIPT_FILES } from '../../src/agent-simulation/coder-script.ts';
import { packageRoot } from '../../src/generate/paths.ts';
import { commandLine } from '../../src/agent-simulation/run-script.ts';
import { LOGIN_SHELLS, SYSTEM_PATH } from '../../src/agent-simulation/shells.ts';

/** Stands in for the start script: reports how much of the install script arrived. */
const REPORTER = '#!/bin/sh\nprintf \'%s %s\\n\' "$0" "${#ARG_INSTALL_SCRIPT}"\n';

function startBody(installBytes: number): Promise<string> {
  return renderCoderScriptBody({
    moduleDir: DEFAULT_MODULE_DIR,
    resource: 'agentapi',
    variables: { ...EXAMPLE_REQUIRED_VARIABLES, install_script: 'x'.repeat(installBytes) },
    files: { [SCRIPT_FILES.agentapi]: REPORTER },
  });
}

/** The longest install script whose body still fits: base64 grows by 4 bytes for every 3. */
async function largestInstallScript(): Promise<number> {
  const small = await startBody(0);
  const payloadBytes = Buffer.byteLength(readHandOff(small).payload);
  const prefixBytes = small.length - 4 * Math.ceil(payloadBytes / 3);
  const largestPayload = Math.floor((MAX_BODY_BYTES - prefixBytes) / 4) * 3;
  return largestPayload - payloadBytes;
}

describe('the kernel\'s bound on a coder_script body', () => {
  it('is what Linux enforces here: an argument of MAX_BODY_BYTES passes, one byte more is E2BIG', () => {
    const fits = spawnSync('/bin/sh', ['-c', `:${' '.repeat(MAX_BODY_BYTES - 1)}`]);
    expect(fits.error).toBeUndefined();
    expect(fits.status).toBe(0);
    const over = spawnSync('/bin/sh', ['-c', `:${' '.repeat(MAX_BODY_BYTES)}`]);
    expect((over.error as NodeJS.ErrnoException | undefined)?.code).toBe('E2BIG');
  });

  it('rejects, before any start, a body one base64 group past the bound, with a sentence naming it', async () => {
    const largest = await largestInstallScript();
    await expect(startBody(largest + 3)).rejects.toThrow(
      `Resource precondition failed for coder_script.agentapi: The start coder_script would be longer than ${MAX_BODY_BYTES} bytes, the most Linux passes as one argument`,
    );
  });

  it('rejects a 1 MiB install script at plan time, not at start', async () => {
    await expect(startBody(1024 * 1024)).rejects.toThrow(/Resource precondition failed for coder_script\.agentapi: .*install_script/);
  });

  /** Each agent module's own required variables. */
  const AGENT_VARIABLES: Record<string, Record<string, unknown>> = { aider: { model: 'gemini' }, codex: {}, goose: { goose_provider: 'anthropic', goose_model: 'claude' } };

  it.each(Object.keys(AGENT_VARIABLES))('rejects a 1 MiB task prompt in modules/%s at plan time, naming the prompt', async (slug) => {
    const moduleDir = join(packageRoot, 'modules', slug);
    const data = { taskEnabled: true, taskId: '2b8e1a6c-4d0f-4c3a-9e8b-5f7a6d1c2e3f', taskPrompt: 'p'.repeat(1024 * 1024) };
    const inputs = await evaluateModuleCall({ moduleDir, call: 'agentapi', variables: { agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id, ...AGENT_VARIABLES[slug] }, data });
    await expect(renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi', variables: inputs, data })).rejects.toThrow(
      /Resource precondition failed for coder_script\.agentapi: .*the task prompt/,
    );
  });

  describe('the largest body the plan accepts', () => {
    let body: string;
    let largest: number;
    const ready = (async () => {
      largest = await largestInstallScript();
      body = await startBody(largest);
    })();

    it('is within one base64 group of the bound', async () => {
      await ready;
      expect(body.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(body.length).toBeGreaterThan(MAX_BODY_BYTES - 4);
    });

    for (const shell of LOGIN_SHELLS) {
      it.skipIf(!shell.available)(`starts under login shell ${shell.name} with the whole install script (needs ${shell.argv[0]})`, async () => {
        await ready;
        const [bin, ...args] = commandLine(body, `login:${shell.name}`);
        const result = spawnSync(bin ?? '', args, { encoding: 'utf8', env: { PATH: SYSTEM_PATH, HOME: '/nonexistent', LANG: 'C' }, timeout: 20_000 });
        expect(result.error).toBeUndefined();
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe(`agentapi-start.sh ${largest}\n`);
      });
    }
  });
});
