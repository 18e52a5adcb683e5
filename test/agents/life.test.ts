/**
 * A task workspace's whole life through each generated agent module: the wrapper's module call is
 * evaluated as Terraform would (its variables, data.coder_task, locals, file()), the agentapi
 * module's coder_script bodies are rendered from what it hands over, then run for real under a
 * login shell: install (the agent's own step), AgentAPI up with the agent's command line, and the
 * stop, with the snapshot posted to mock coderd (or not, with task_log_snapshot = false).
 */
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DEFAULT_MODULE_DIR, evaluateModuleCall, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/harness/coder-script.ts';
import { renderBodiesWithTerraform } from '../../src/harness/terraform-bodies.ts';
import { runShutdown } from '../../src/harness/run-script.ts';
import { type MockCoderd, startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { hasCommand } from '../helpers/commands.ts';
import { type DownloadServer, hasExited, runStartScript, startDownloadServer } from '../start/helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const PROMPT = "Fix the flaky test; don't touch 'main'";
const LOGIN_SHELL = 'login:bash';

interface AgentCase {
  slug: string;
  /** The agent's own inputs for this run (required ones, and installs that need the network off). */
  variables: Record<string, unknown>;
  /** The agent's argv after `--`, as AgentAPI must receive it. */
  agentArgv: string[];
  /** Files the install step must have written, relative to HOME, with a line each must contain. */
  installed?: Array<[string, string]>;
  prepare?: (home: string) => Promise<Record<string, string>>;
}

const CASES: AgentCase[] = [
  {
    slug: 'codex',
    variables: { codex_version: '0.63.0' },
    agentArgv: ['codex', PROMPT],
    installed: [['npm-calls.log', 'install -g @openai/codex@0.63.0']],
    // A stand-in npm: records how it was called, as the real one would be for the install.
    prepare: async (home) => {
      const bin = join(home, 'stand-in-bin');
      await mkdir(bin, { recursive: true });
      await writeFile(join(bin, 'npm'), `#!/bin/sh\nprintf '%s\\n' "$*" >>"$HOME/npm-calls.log"\n`);
      await chmod(join(bin, 'npm'), 0o755);
      return { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` };
    },
  },
  { slug: 'aider', variables: { install_aider: false }, agentArgv: ['aider', '--yes-always', '--message', PROMPT] },
  {
    slug: 'goose',
    variables: { goose_provider: 'anthropic', goose_model: "claude's-best", install_goose: false },
    agentArgv: ['goose', 'run', '--text', PROMPT, '--interactive'],
    installed: [['.config/goose/config.yaml', "GOOSE_MODEL: claude's-best"]],
  },
];

describe.skipIf(!hasCommand('bash') || !hasCommand('curl'))('agent modules, a task workspace from start to stop (needs bash as the login shell, curl)', () => {
  let server: DownloadServer;
  let coderd: MockCoderd;
  beforeAll(async () => {
    server = await startDownloadServer();
    coderd = await startMockCoderd({});
  });
  afterAll(async () => {
    await server.close();
    await coderd.close();
  });

  describe.each(CASES)('modules/$slug', (agent) => {
    it.for([true, false])('task_log_snapshot = %s', async (snapshot, { onTestFinished }) => {
      const task = coderd.createTask();
      const data = { taskEnabled: true, taskId: task.taskId, taskPrompt: PROMPT };
      let extraEnv: Record<string, string> = {};
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell: LOGIN_SHELL,
        server,
        prepare: async (home) => {
          extraEnv = (await agent.prepare?.(home)) ?? {};
        },
        env: () => extraEnv,
        // What the agent module hands to agentapi, evaluated from its own main.tf.
        variables: async (home: string, port: number) => agentapiInputs(agent, home, port, snapshot, data),
      });
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.record?.argv).toEqual([`--type=${agent.slug}`, `--port=${run.port}`, '--', ...agent.agentArgv]);
      for (const [path, line] of agent.installed ?? []) expect(await readFile(join(run.home, path), 'utf8')).toContain(line);

      const inputs = await agentapiInputs(agent, run.home, run.port, snapshot, data);
      const stop = await runShutdown({
        shell: LOGIN_SHELL,
        toolbox: 'full',
        home: run.home,
        variables: inputs,
        data,
        env: { CODER_AGENT_URL: `${coderd.url}/`, CODER_AGENT_TOKEN: task.agentToken },
      });
      expect(stop.exitCode, stop.stderr).toBe(0);
      expect(stop.stdout).toContain(`Sending SIGTERM to AgentAPI (pid ${run.record?.pid})`);
      expect(await hasExited(run.record?.pid ?? 0)).toBe(true);
      const stored = coderd.snapshot(task.taskId);
      if (snapshot) {
        expect(stop.stdout).toContain('Log snapshot posted successfully');
        expect(JSON.stringify(stored?.data)).toContain('Hello from the fake agent');
      } else {
        expect(stop.stdout).toContain('Log snapshot disabled, skipping');
        expect(stored).toBeUndefined();
      }
    });
  });
});

async function agentapiInputs(agent: AgentCase, home: string, port: number, snapshot: boolean, data: { taskEnabled: boolean; taskId: string; taskPrompt: string }) {
  return evaluateModuleCall({
    moduleDir: join(root, 'modules', agent.slug),
    call: 'agentapi',
    variables: {
      agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id,
      agentapi_version: 'v0.12.1',
      agentapi_port: port,
      folder: join(home, 'project'),
      task_log_snapshot: snapshot,
      ...agent.variables,
    },
    data,
  });
}

// The agent module's call must point at the module the harness runs.
it('the agent modules call the agentapi module the harness renders bodies from', () => {
  expect(resolve(root, 'modules/codex', '../agentapi')).toBe(DEFAULT_MODULE_DIR);
});

// The harness evaluates the wrapper's module call, then agentapi's bodies; real Terraform, through
// the stand-in provider, must render the very same bytes for the nested module.
describe.skipIf(!hasCommand('terraform'))('agent modules rendered by real Terraform (needs terraform)', () => {
  it.each(CASES)(
    'modules/$slug: terraform apply gives the bodies the harness runs',
    async (agent) => {
      const data = { taskEnabled: true, taskId: randomUUID(), taskPrompt: PROMPT };
      const variables = { agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id, folder: '/home/coder/project/', task_log_snapshot: false, ...agent.variables };
      const moduleDir = join(root, 'modules', agent.slug);
      const byTerraform = await renderBodiesWithTerraform({ moduleDir, nested: 'agentapi', variables, data, noCache: true });
      const inputs = await evaluateModuleCall({ moduleDir, call: 'agentapi', variables, data });
      for (const resource of ['agentapi', 'agentapi_shutdown'] as const) {
        expect(byTerraform[resource], resource).toBe(await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource, variables: inputs, data }));
      }
    },
    240_000,
  );
});
