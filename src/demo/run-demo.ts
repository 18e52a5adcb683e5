import { defaultConfig } from '../config/schema.ts';
import { renderModuleToTempDir } from '../generate/render-to-dir.ts';
import { EXAMPLE_REQUIRED_VARIABLES } from '../agent-simulation/coder-script.ts';
import { runShutdown, type RunResult } from '../agent-simulation/run-script.ts';
import { LOGIN_SHELLS } from '../agent-simulation/shells.ts';
import { startMockAgentapi } from '../mocks/agentapi/index.ts';
import { startMockCoderd, taskPageUrl, type CreatedTask } from '../mocks/coderd/index.ts';
import { demoConversation } from './conversation.ts';
import { renderTranscript, type TaskLogs } from './transcript.ts';

export interface DemoOptions {
  color: boolean;
  write: (text: string) => void;
  /** Hooks around the story's states (`demo --web` paces it and keeps the page up; screenshots are taken there). */
  stage?: DemoStage;
}

/** The four states a person watching the task sees, in the story's order. */
export const DEMO_STEPS = ['live', 'paused', 'resumed', 'paused-again'] as const;
export type DemoStep = (typeof DEMO_STEPS)[number];

export interface DemoServers {
  coderdUrl: string;
  agentapiUrl: string;
  /** The mock coderd's page for the demo's task. */
  taskPageUrl: string;
}

export interface DemoStage {
  /** The mocks are up, before anything is written. */
  started(servers: DemoServers): void | Promise<void>;
  /** The task is in `step`'s state, and the terminal shows it; a rejection ends the story early. */
  reached(step: DemoStep): Promise<void>;
  /** The story is over; the mocks close when this resolves. */
  finished(): Promise<void>;
}

/** What the demo observed, so a test can assert it without parsing the terminal text. */
export interface DemoOutcome {
  /** The first stop: the whole short conversation fits. */
  firstScript: RunResult;
  first: TaskLogs;
  /** The second stop: the long reply is truncated to its tail. */
  script: RunResult;
  logs: TaskLogs;
}

/**
 * The whole story on built-in defaults, in two stops of the same task. First stop: a short
 * multilingual conversation fits the 64 KiB limit whole, and the paused task shows who said what.
 * The task resumes, the agent prints a long test log, and the second stop's snapshot (an upsert:
 * last write wins) keeps only the tail of that log, after the truncation marker. Each stop runs
 * the module's shutdown script through its coder_script wrapper, and the task is read through
 * coderd's logs endpoint as the Coder UI does: live from AgentAPI while active, the snapshot once paused.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const { dir: moduleDir, cleanup } = await renderModuleToTempDir(defaultConfig, 'demo');
  const { opening, longReply } = demoConversation();
  const agentapi = await startMockAgentapi({ messages: opening });
  // coderd reads an active task's logs live from this AgentAPI, as the real one does through the agent.
  const coderd = await startMockCoderd({ createDefaultTask: true, liveAgentapiUrl: agentapi.url });
  const stage = options.stage ?? QUIET_STAGE;
  try {
    const task = requireTask(coderd.defaultTask);
    await stage.started({ coderdUrl: coderd.url, agentapiUrl: agentapi.url, taskPageUrl: taskPageUrl(coderd.url, task.user, task.taskId) });
    const stop = stopper({ moduleDir, agentapiPort: agentapi.port, coderdUrl: coderd.url, task, loginShell: firstLoginShell() });
    const transcript = (logs: TaskLogs) => `${renderTranscript(logs, { color: options.color, maxLinesPerMessage: 8 })}\n`;
    options.write(`Coder mock at ${coderd.url}, AgentAPI mock at ${agentapi.url}\n\n`);

    options.write(transcript(await fetchTaskLogs(coderd.url, task)));
    await stage.reached('live');
    options.write(`First stop: the agent runs the "AgentAPI Shutdown" coder_script with ${stop.loginShell} as the login shell\n\n`);
    const firstScript = await stop.run(options.write);
    coderd.setTaskStatus(task.taskId, 'paused');
    const first = await fetchTaskLogs(coderd.url, task);
    options.write(transcript(first));
    await stage.reached('paused');

    coderd.setTaskStatus(task.taskId, 'active');
    agentapi.setMessages([...opening, longReply]);
    options.write(`The task resumes; the agent prints a ${Math.round(Buffer.byteLength(longReply.content) / 1024)} KiB test log.\n\n`);
    await stage.reached('resumed');
    options.write('Second stop: the snapshot is over 64 KiB, so older messages go and the log keeps its tail\n\n');
    const script = await stop.run(options.write);
    coderd.setTaskStatus(task.taskId, 'paused');
    const logs = await fetchTaskLogs(coderd.url, task);
    options.write(transcript(logs));
    await stage.reached('paused-again');
    await stage.finished();
    return { firstScript, first, script, logs };
  } finally {
    await Promise.all([agentapi.close(), coderd.close(), cleanup()]);
  }
}

interface StopSetup {
  moduleDir: string;
  agentapiPort: number;
  coderdUrl: string;
  task: CreatedTask;
  loginShell: string;
}

/** Runs the shutdown coder_script the way the agent does at a workspace stop, and prints its log. */
function stopper(setup: StopSetup) {
  return {
    loginShell: setup.loginShell,
    run: async (write: (text: string) => void): Promise<RunResult> => {
      const script = await runShutdown({
        moduleDir: setup.moduleDir,
        variables: { ...EXAMPLE_REQUIRED_VARIABLES, agentapi_port: setup.agentapiPort },
        data: { taskEnabled: true, taskId: setup.task.taskId },
        shell: `login:${setup.loginShell}`,
        toolbox: 'full',
        env: { CODER_AGENT_URL: `${setup.coderdUrl}/`, CODER_AGENT_TOKEN: setup.task.agentToken },
      });
      write(`${indent(script.output.trimEnd())}\n\n(shutdown script exited ${script.exitCode} after ${script.durationMs.toFixed(0)} ms)\n\n`);
      return script;
    },
  };
}

const QUIET_STAGE: DemoStage = { started: () => {}, reached: async () => {}, finished: async () => {} };

function requireTask(task: CreatedTask | undefined): CreatedTask {
  if (task === undefined) throw new Error('mock coderd started without its default task');
  return task;
}

function firstLoginShell(): string {
  const shell = LOGIN_SHELLS.find((candidate) => candidate.available);
  if (shell === undefined) throw new Error(`no login shell found; install one of: ${LOGIN_SHELLS.map((s) => s.name).join(', ')}`);
  return shell.name;
}

async function fetchTaskLogs(baseUrl: string, task: CreatedTask): Promise<TaskLogs> {
  const response = await fetch(`${baseUrl}/api/v2/tasks/${task.user}/${task.taskId}/logs`, {
    headers: { 'Coder-Session-Token': task.userToken },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`coderd answered ${response.status} to the task logs request: ${text}`);
  return JSON.parse(text) as TaskLogs;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  │ ${line}`)
    .join('\n');
}
