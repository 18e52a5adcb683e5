/**
 * A task workspace's whole life through each generated agent module: the wrapper's module call is
 * evaluated as Terraform would (its variables, data.coder_task, locals, file()), the agentapi
 * module's coder_script bodies are rendered from what it hands over, then run for real under a
 * login shell: install (the agent's own step), AgentAPI up with the agent's command line, and the
 * stop, with the snapshot posted to mock coderd (or not, with task_log_snapshot = false).
 */
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { DEFAULT_MODULE_DIR, evaluateModuleCall, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/agent-simulation/coder-script.ts';
import { renderBodiesWithTerraform } from '../../src/agent-simulation/terraform-bodies.ts';
import { runShutdown } from '../../src/agent-simulation/run-script.ts';
import { type MockCoderd, startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { hasCommand } from '../support/commands.ts';
import { type DownloadServer, hasExited, runStartScript, startDownloadServer } from '../support/start-script.ts';

const root = resolve(import.meta.dirname, '../..');
const PROMPT = "Fix the flaky test; don't touch 'main'";
/** An input on the agent's command line (aider's `model`, passed as `--model`): quotes, `$(...)`, a glob, spaces. */
const AIDER_MODEL = `it's "sonnet" $(id) * x`;
const LOGIN_SHELL = 'login:bash';
const AIDER_KEY = 'gm-test-key-not-in-argv';
const AIDER_SYSTEM =
  'You are a helpful coding assistant that helps developers write, debug, and understand code. Provide clear explanations, follow best practices, and help solve coding problems efficiently.';

/**
 * A stand-in curl first on PATH: for the agent's installer URL it prints an installer that records
 * how it ran (the env the module gives it) and puts a stand-in agent in ~/.local/bin; every other
 * URL (AgentAPI's download) goes to the real curl.
 */
async function standInInstaller(home: string, installerUrlPart: string, agent: string, binDir = '.local/bin'): Promise<Record<string, string>> {
  const bin = join(home, 'stand-in-bin');
  await mkdir(bin, { recursive: true });
  const realCurl = execFileSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim();
  const installer = [
    `printf '%s installer ran: GOOSE_VERSION=%s CONFIGURE=%s VERSION=%s AMP_VERSION=%s\\n' ${agent} "\${GOOSE_VERSION-unset}" "\${CONFIGURE-unset}" "\${VERSION-unset}" "\${AMP_VERSION-unset}" >>"$HOME/installer.log"`,
    `mkdir -p "$HOME/${binDir}"`,
    `printf '#!/bin/sh\\nexit 0\\n' >"$HOME/${binDir}/${agent}"`,
    `chmod +x "$HOME/${binDir}/${agent}"`,
  ].join('\n');
  const curl = [
    '#!/bin/sh',
    `case "$*" in *${installerUrlPart}*) cat <<'INSTALLER'`,
    installer,
    'INSTALLER',
    ';;',
    `*) exec ${realCurl} "$@" ;;`,
    'esac',
    '',
  ].join('\n');
  await writeFile(join(bin, 'curl'), curl);
  await chmod(join(bin, 'curl'), 0o755);
  return { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` };
}

interface AgentCase {
  slug: string;
  /** AgentAPI's --type, when it is not the slug. */
  agentType?: string;
  /** The agent's own inputs for this run (required ones, and installs that need the network off). */
  variables: Record<string, unknown>;
  /** The agent's argv after `--`, as AgentAPI must receive it. */
  agentArgv: string[];
  /** AgentAPI's own arguments between --port and --, e.g. the prompt as -I. */
  agentapiArgs?: string[];
  /** Files the install step must have written, relative to HOME, with a line each must contain. */
  installed?: Array<[string, string]>;
  /** The variable that sets agentapi's folder (the registry's aider calls it workdir). */
  folderVariable?: string;
  /** Files, relative to HOME, that must be owner-only. */
  privateFiles?: string[];
  /** A secret given through the environment that must not reach AgentAPI's argv or the logs. */
  secret?: string;
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
  {
    slug: 'aider',
    folderVariable: 'workdir',
    privateFiles: ['.aider.conf.yml'],
    variables: { model: AIDER_MODEL, ai_provider: 'google', base_aider_config: 'read:\n  - CONVENTIONS.md', report_tasks: true },
    agentapiArgs: ['-I', `<system>\n${AIDER_SYSTEM}\n\nReport your work to Coder as you go: one report per step, and one after every new message from the\nuser (never about these instructions). Use the state working while you work without needing the\nuser, complete when the task is done, and failure when you need the user's input or are blocked.\n</system> ${PROMPT}`],
    agentArgv: ['aider', '--yes-always', '--model', AIDER_MODEL],
    installed: [
      ['installer.log', 'aider installer ran'],
      ['.aider.conf.yml', '  - CONVENTIONS.md'],
      ['.aider-module/agentapi-start.log', 'api_key is exported as GEMINI_API_KEY'],
    ],
    // api_key travels as coder_env (AIDER_MODULE_API_KEY), which the Coder agent puts in the scripts' environment.
    secret: AIDER_KEY,
    prepare: async (home) => ({ ...(await standInInstaller(home, 'aider.chat/install.sh', 'aider')), AIDER_MODULE_API_KEY: AIDER_KEY }),
  },
  {
    slug: 'goose',
    variables: { goose_provider: 'anthropic', goose_model: "claude's-best", goose_version: 'v1.0.31', additional_extensions: '  desktop-commander:\n    cmd: desktop-commander\n    type: stdio' },
    agentArgv: ['goose', 'run', '--text', `Read your .goosehints first. Report each step to Coder with a clear summary and its status. The task: ${PROMPT}`, '--interactive'],
    installed: [
      ['installer.log', 'goose installer ran: GOOSE_VERSION=v1.0.31 CONFIGURE=false'],
      ['.config/goose/config.yaml', "GOOSE_MODEL: claude's-best"],
      ['.config/goose/config.yaml', '\n  desktop-commander:\n    cmd: desktop-commander\n    type: stdio\n'],
      ['.config/goose/config.yaml', 'CODER_MCP_APP_STATUS_SLUG: goose'],
      ['.config/goose/.goosehints', 'Run long tasks in the background.'],
    ],
    prepare: async (home) => ({ ...(await standInInstaller(home, 'download_cli.sh', 'goose')), GOOSE_SYSTEM_PROMPT: 'Run long tasks in the background.' }),
  },
  {
    slug: 'opencode',
    folderVariable: 'workdir',
    privateFiles: ['.local/share/opencode/auth.json', '.config/opencode/opencode.json'],
    variables: { opencode_version: '0.15.0', session_id: 'ses_42', continue: true, auth_json: '{"anthropic": {"type": "api", "key": "sk-test"}}', config_json: '{"model": "anthropic/claude-sonnet-4-5"}' },
    agentapiArgs: ['-I', `Report your progress to Coder with the coder_report_task tool at every step, with a short summary and its status. The task: ${PROMPT}`],
    agentArgv: ['opencode', '--session', 'ses_42', '--continue'],
    installed: [
      ['installer.log', 'opencode installer ran'],
      ['installer.log', 'VERSION=0.15.0'],
      ['.local/share/opencode/auth.json', '"key": "sk-test"'],
      ['.config/opencode/opencode.json', '"model": "anthropic/claude-sonnet-4-5"'],
      ['.config/opencode/opencode.json', '"CODER_MCP_APP_STATUS_SLUG": "opencode"'],
      ['.config/opencode/opencode.json', '"CODER_AGENT_TOKEN": "{env:CODER_AGENT_TOKEN}"'],
    ],
    // The Coder agent's token is in the scripts' environment; the MCP entry must only name it.
    secret: 'agent-token-for-opencode',
    prepare: async (home) => ({ ...(await standInInstaller(home, 'opencode.ai/install', 'opencode', '.opencode/bin')), CODER_AGENT_TOKEN: 'agent-token-for-opencode' }),
  },
  {
    slug: 'sourcegraph-amp',
    agentType: 'amp',
    folderVariable: 'workdir',
    privateFiles: ['.config/amp/settings.json'],
    variables: { amp_version: '0.0.1755964909', instruction_prompt: 'Run the tests before you finish.', mcp: '{"playwright": {"command": "npx", "args": ["-y", "@playwright/mcp"]}}', mode: 'rush' },
    agentapiArgs: ['-I', `Report your progress to Coder with the coder_report_task tool at every step, with a short summary and its status. The task: ${PROMPT}`],
    agentArgv: ['amp', '--mode', 'rush'],
    installed: [
      ['installer.log', 'AMP_VERSION=0.0.1755964909'],
      ['.config/AGENTS.md', 'Run the tests before you finish.'],
      ['.config/amp/settings.json', '"amp.todos.enabled": true'],
      ['.config/amp/settings.json', '"CODER_MCP_APP_STATUS_SLUG": "amp"'],
      ['.config/amp/settings.json', '"CODER_AGENT_TOKEN": "${CODER_AGENT_TOKEN}"'],
      ['.config/amp/settings.json', '"@playwright/mcp"'],
    ],
    secret: 'agent-token-for-amp',
    prepare: async (home) => ({ ...(await standInInstaller(home, 'ampcode.com/install.sh', 'amp')), CODER_AGENT_TOKEN: 'agent-token-for-amp' }),
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
    // v0.10.0 is the default pin (no PID file: the start script records the PID); v0.12.1 the latest.
    it.for([
      { snapshot: true, version: 'v0.12.1' },
      { snapshot: false, version: 'v0.12.1' },
      { snapshot: true, version: 'v0.10.0' },
    ])('task_log_snapshot = $snapshot, AgentAPI $version', async ({ snapshot, version }, { onTestFinished }) => {
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
        variables: async (home: string, port: number) => agentapiInputs(agent, home, port, snapshot, data, version),
      });
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.record?.version).toBe(version.slice(1));
      expect(run.record?.argv).toEqual([`--type=${agent.agentType ?? agent.slug}`, `--port=${run.port}`, ...(agent.agentapiArgs ?? []), '--', ...agent.agentArgv]);
      for (const [path, line] of agent.installed ?? []) expect(await readFile(join(run.home, path), 'utf8'), path).toContain(line);
      for (const path of agent.privateFiles ?? []) expect((await stat(join(run.home, path))).mode & 0o777, path).toBe(0o600);
      expect(run.record?.cwd).toBe(join(run.home, 'project'));
      if (agent.secret !== undefined) {
        expect(JSON.stringify(run.record)).not.toContain(agent.secret);
        for (const [path] of agent.installed ?? []) expect(await readFile(join(run.home, path), 'utf8'), path).not.toContain(agent.secret);
        for (const log of await readdir(join(run.home, `.${agent.slug}-module`))) {
          if (log.endsWith('.log')) expect(await readFile(join(run.home, `.${agent.slug}-module`, log), 'utf8'), log).not.toContain(agent.secret);
        }
      }

      const inputs = await agentapiInputs(agent, run.home, run.port, snapshot, data, version);
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

async function agentapiInputs(agent: AgentCase, home: string, port: number, snapshot: boolean, data: { taskEnabled: boolean; taskId: string; taskPrompt: string }, version: string) {
  return evaluateModuleCall({
    moduleDir: join(root, 'modules', agent.slug),
    call: 'agentapi',
    variables: {
      agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id,
      agentapi_version: version,
      agentapi_port: port,
      [agent.folderVariable ?? 'folder']: join(home, 'project'),
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
      const variables = { agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id, [agent.folderVariable ?? 'folder']: '/home/coder/project/', task_log_snapshot: false, ...agent.variables };
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
