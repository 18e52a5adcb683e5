import { describe, expect, it } from 'vitest';
import { MASKED, showValue } from '../../src/agent-simulation/explain-scripts.ts';
import { LOG } from '../../src/conformance/expectations.ts';
import { callModule, fixedInputsFromArgs, impliedExpectations, reproducesBody } from '../../src/conformance/module-call.ts';
import { parseArgAssignments } from '../../src/agent-simulation/arg-assignments.ts';
import { readModuleFacts } from '../../src/conformance/module-facts.ts';
import { readHandOff } from '../../src/contract/hand-off.ts';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/agent-simulation/coder-script.ts';
import { SCENARIOS } from '../../src/conformance/scenarios.ts';
import { expectationsFor } from '../../src/conformance/scenario.ts';

const RENDERED_TASK = '7d8d4c2e-fb57-44f9-a183-22509819c2e7';
const args = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value }));

describe("a template's call of the agentapi module", () => {
  it('turns the stop script inputs back into typed variables, leaving the port and the PID file to the harness', () => {
    const inputs = fixedInputsFromArgs(
      args({ ARG_TASK_ID: RENDERED_TASK, ARG_TASK_LOG_SNAPSHOT: 'false', ARG_AGENTAPI_PORT: '3284', ARG_MODULE_DIR_NAME: '.x', ARG_PID_FILE_PATH: '/srv/x.pid', ARG_SNAPSHOT_DEADLINE: '3' }),
      RENDERED_TASK,
      'data-source',
    );
    expect(inputs).toEqual({ task_log_snapshot: false, module_dir_name: '.x', shutdown_snapshot_deadline: 3 });
  });

  it("keeps a task ID the template fixes (variable mode), but not the task's own", () => {
    expect(fixedInputsFromArgs(args({ ARG_TASK_ID: '' }), RENDERED_TASK, 'variable')).toEqual({ task_id: '' });
    expect(fixedInputsFromArgs(args({ ARG_TASK_ID: RENDERED_TASK }), RENDERED_TASK, 'variable')).toEqual({});
  });

  it('skips a scenario that needs another value than the template passes, naming both', async () => {
    const caller = { kind: 'fixed' as const, caller: "template's call of module.agentapi", inputs: { task_log_snapshot: true } };
    const outcome = await callModule(caller, {}, {}, { task_log_snapshot: false }, {});
    expect(outcome).toEqual({ skip: "needs task_log_snapshot = false; the template's call of module.agentapi passes true" });
  });

  it("lets the template's values win over what the harness would set, and the scenario's own over neither", async () => {
    const caller = { kind: 'fixed' as const, caller: 't', inputs: { task_log_snapshot: false, module_dir_name: '.t' } };
    const outcome = await callModule(caller, { module_dir_name: '.base' }, { task_log_snapshot: true, agentapi_port: 4000 }, { enable_state_persistence: true }, {});
    expect(outcome).toEqual({ variables: { module_dir_name: '.t', task_log_snapshot: false, agentapi_port: 4000, enable_state_persistence: true } });
  });

  it('expects no request at all and the skip line with the snapshot off, keeping the process checks', async () => {
    const facts = await readModuleFacts(DEFAULT_MODULE_DIR);
    const happy = SCENARIOS.find((scenario) => scenario.name === 'happy-path')!;
    const implied = impliedExpectations(expectationsFor(happy, facts, 'full'), { task_log_snapshot: false }, facts, {});
    expect(implied.coderdPosts).toBe(0);
    expect(implied.present).toContain(LOG.snapshotDisabled);
    expect(implied.absent).toEqual(expect.arrayContaining([LOG.posted, LOG.retrieved]));
    // The scenario setting the snapshot itself keeps its own expectations.
    const own = expectationsFor(happy, facts, 'full');
    expect(impliedExpectations(own, { task_log_snapshot: false }, facts, { task_log_snapshot: false })).toBe(own);
  });
});

describe('--explain values', () => {
  it("masks a value holding a sensitive variable's value, abbreviates scripts, prints literals as they are", () => {
    expect(showValue('/home/hunter2/x', ['hunter2'], false)).toBe(MASKED);
    expect(showValue('#!/bin/sh\necho a\necho b\n', [], false)).toBe('"#!/bin/sh" … (3 lines, 24 bytes)');
    expect(showValue('false', [], true)).toBe('false');
    expect(showValue('.x-module', [], true)).toBe(MASKED);
    expect(showValue('.x-module', [], false)).toBe('".x-module"');
  });
});

describe('reading the inputs back from a rendered body', () => {
  const task = '2b8e1a6c-4d0f-4c3a-9e8b-5f7a6d1c2e3f';
  const inputsOf = (body: string) => parseArgAssignments(readHandOff(body).payload).assignments;

  it('reproduces the body from the inputs it carries, and notices one missing', async () => {
    const variables = { ...EXAMPLE_REQUIRED_VARIABLES, task_log_snapshot: false, shutdown_snapshot_deadline: 3, module_dir_name: ".it's" };
    const body = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi_shutdown', variables, data: { taskEnabled: true, taskId: task } });
    const inputs = inputsOf(body);
    expect(await reproducesBody({ body, inputs, moduleDir: DEFAULT_MODULE_DIR }, 'data-source', task)).toBeUndefined();
    const withoutDeadline = inputs.filter((input) => input.name !== 'ARG_SNAPSHOT_DEADLINE');
    expect(await reproducesBody({ body, inputs: withoutDeadline, moduleDir: DEFAULT_MODULE_DIR }, 'data-source', task)).toBe('the bodies differ');
  });
});
