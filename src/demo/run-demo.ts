import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../config/schema.ts';
import { renderModule } from '../generate/render-module.ts';
import { writeModule } from '../generate/write-module.ts';
import { EXAMPLE_REQUIRED_VARIABLES } from '../harness/coder-script.ts';
import { runShutdown, type RunResult } from '../harness/run-script.ts';
import { LOGIN_SHELLS } from '../harness/shells.ts';
import { startMockAgentapi } from '../mocks/agentapi/index.ts';
import { startMockCoderd, type CreatedTask } from '../mocks/coderd/index.ts';
import { demoConversation } from './conversation.ts';
import { renderTranscript, type TaskLogs } from './transcript.ts';

export interface DemoOptions {
  color: boolean;
  write: (text: string) => void;
}

/** What the demo observed, so a test can assert it without parsing the terminal text. */
export interface DemoOutcome {
  script: RunResult;
  logs: TaskLogs;
}

/**
 * The whole story on built-in defaults: a task's conversation in AgentAPI, the workspace stops, the
 * module's shutdown script (through its coder_script wrapper) uploads the snapshot, and the paused
 * task is read back through coderd's logs endpoint as the Coder UI would.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const moduleDir = await mkdtemp(join(tmpdir(), 'agentapi-kit-demo-'));
  const agentapi = await startMockAgentapi({ messages: demoConversation() });
  const coderd = await startMockCoderd({ createDefaultTask: true });
  try {
    await writeModule(moduleDir, await renderModule(defaultConfig));
    const task = requireTask(coderd.defaultTask);
    const loginShell = firstLoginShell();
    options.write(`Coder mock at ${coderd.url}, AgentAPI mock at ${agentapi.url} (${agentapi.messages().length} messages)\n`);
    options.write(`Workspace stops: the agent runs the "AgentAPI Shutdown" coder_script with ${loginShell} as the login shell\n\n`);
    const script = await runShutdown({
      moduleDir,
      variables: { ...EXAMPLE_REQUIRED_VARIABLES, agentapi_port: agentapi.port },
      data: { taskEnabled: true, taskId: task.taskId },
      shell: `login:${loginShell}`,
      toolbox: 'full',
      env: { CODER_AGENT_URL: `${coderd.url}/`, CODER_AGENT_TOKEN: task.agentToken },
    });
    options.write(indent(script.output.trimEnd()) + `\n\n(shutdown script exited ${script.exitCode} after ${script.durationMs.toFixed(0)} ms)\n\n`);
    coderd.setTaskStatus(task.taskId, 'paused');
    const logs = await fetchTaskLogs(coderd.url, task);
    options.write(`${renderTranscript(logs, { color: options.color, maxLinesPerMessage: 8 })}\n`);
    return { script, logs };
  } finally {
    await Promise.all([agentapi.close(), coderd.close(), rm(moduleDir, { recursive: true, force: true })]);
  }
}

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
