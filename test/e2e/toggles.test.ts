/**
 * task_log_snapshot and the task-ID resolution, proven end to end: variables and data sources go
 * through renderCoderScriptBody (the module's real HCL), the body runs, coderd sees the result.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readHandOff } from '../../src/contract/hand-off.ts';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/agent-simulation/coder-script.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { conversation } from '../../src/conformance/conversations.ts';
import { LOG } from '../../src/conformance/expectations.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { E2E_TEST_TIMEOUT_MS, explain, scenarioRuns } from '../support/matrix.ts';

const runs = scenarioRuns();
const dash = shellByName('dash');
const messages = conversation(['first', 'second', 'third']);

interface Case {
  title: string;
  snapshot: boolean;
  taskEnabled: boolean;
  /** Module generated with taskIdSource = variable; var.task_id is coderd's task or empty. */
  variableMode?: { taskId: 'coderd' | '' };
  /** What must happen: posted, or skipped with that line ('either' when both reasons hold). */
  outcome: 'posted' | 'disabled' | 'no-task' | 'either';
}

const TASK = randomUUID();

const cases: Case[] = [
  { title: 'snapshot on, task enabled: posted', snapshot: true, taskEnabled: true, outcome: 'posted' },
  { title: 'snapshot off, task enabled: disabled', snapshot: false, taskEnabled: true, outcome: 'disabled' },
  { title: 'snapshot on, task disabled (random UUID id): no task ID', snapshot: true, taskEnabled: false, outcome: 'no-task' },
  { title: 'snapshot off, task disabled: skipped for either reason', snapshot: false, taskEnabled: false, outcome: 'either' },
  { title: 'variable mode, task_id set: posted', snapshot: true, taskEnabled: false, variableMode: { taskId: 'coderd' }, outcome: 'posted' },
  { title: 'variable mode, task_id empty: no task ID', snapshot: true, taskEnabled: true, variableMode: { taskId: '' }, outcome: 'no-task' },
  { title: 'variable mode, snapshot off: disabled', snapshot: false, taskEnabled: true, variableMode: { taskId: 'coderd' }, outcome: 'disabled' },
];

function scenarioFor(c: Case): Scenario {
  const line = { disabled: LOG.snapshotDisabled, 'no-task': LOG.noTaskId, either: /Log snapshot disabled, skipping|No task ID, skipping log snapshot/, posted: LOG.posted }[c.outcome];
  return {
    name: `toggle: ${c.title}`,
    short: 't',
    description: c.title,
    agentapi: { messages },
    coderd: {},
    // The task coderd knows becomes coder_task.me.id (data-source mode) or var.task_id (variable mode).
    variables: ({ taskId }) => ({ task_log_snapshot: c.snapshot, ...(c.variableMode ? { task_id: c.variableMode.taskId === 'coderd' ? taskId : '' } : {}) }),
    data: { taskEnabled: c.taskEnabled },
    taskIdSource: c.variableMode ? 'variable' : undefined,
    expect:
      c.outcome === 'posted'
        ? { present: [LOG.posted, LOG.complete], coderdPosts: 1, checks: [({ snapshot }) => (snapshot === undefined ? ['nothing stored'] : [])] }
        : { present: [line, LOG.complete], absent: [LOG.posted], coderdPosts: 0 },
  };
}

describe.skipIf(!hasCommand('dash') || !hasCommand('curl'))('task_log_snapshot and task ID, end to end (needs dash, curl)', () => {
  const scenarios = new Map(cases.map((c) => [c.title, scenarioFor(c)]));
  beforeAll(() => {
    for (const scenario of scenarios.values()) void runs.start(scenario, dash, 'full');
  });

  it.each(cases.map((c) => [c.title, c] as const))(
    '%s',
    async (_title, c) => {
      const result = await runs.get(scenarios.get(c.title) as Scenario, dash, 'full');
      expect(result.failures, explain(result)).toEqual([]);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it('renders exactly the inputs the script then acted on', async () => {
    const base = { ...EXAMPLE_REQUIRED_VARIABLES };
    const off = readHandOff(await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi_shutdown', variables: { ...base, task_log_snapshot: false }, data: { taskEnabled: true, taskId: TASK } })).payload;
    expect(off).toContain(`ARG_TASK_ID='${TASK}'\nARG_TASK_LOG_SNAPSHOT='false'\n`);
    const noTask = readHandOff(await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi_shutdown', variables: base, data: { taskEnabled: false, taskId: TASK } })).payload;
    expect(noTask).toContain(`ARG_TASK_ID=''\nARG_TASK_LOG_SNAPSHOT='true'\n`);
  });
});
