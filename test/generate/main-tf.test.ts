import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handOffBody, MAX_BODY_BYTES } from '../../src/contract/hand-off.ts';
import { evaluateJson, type EvalContext, type HclValue } from '../../src/agent-simulation/hcl-eval.ts';
import { inputLine, SHUTDOWN_INPUTS as SHUTDOWN_INPUT_LIST } from '../../src/module/index.ts';
import { allLocals, parseMainTf, type ParsedModule } from '../support/module.ts';

/** The registry module's variables (test/module/registry-parity.test.ts compares types and defaults). */
const REGISTRY_VARIABLES: string[] = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/registry-agentapi-interface.json'), 'utf8')) as { variables: Array<{ name: string }> }
).variables.map((variable) => variable.name);

/** The shutdown script's inputs as the model writes them (src/module/script-inputs.ts). */
const SHUTDOWN_INPUTS: Record<string, string> = Object.fromEntries(
  SHUTDOWN_INPUT_LIST.map((input) => [input.arg, inputLine(input).slice(input.arg.length + 1)]),
);

function variable(parsed: ParsedModule, name: string) {
  const block = parsed.variable[name]?.[0];
  if (block === undefined) throw new Error(`main.tf has no variable "${name}"`);
  return block;
}

function resource(parsed: ParsedModule, type: string, name: string) {
  const block = parsed.resource[type]?.[name]?.[0];
  if (block === undefined) throw new Error(`main.tf has no resource ${type}.${name}`);
  return block;
}

/**
 * A body local of main.tf evaluated with stand-in inputs and script, so it can be compared with the
 * hand-off's own writer (src/contract/hand-off.ts) for the same payload.
 */
function handOffOf(expression: unknown, which: 'start' | 'shutdown'): HclValue {
  const stand: Record<string, string> = { [`${which}_inputs`]: `ARG_X='${which} inputs'\n`, [`${which}_script_file`]: `#!/bin/sh\necho ${which}\n` };
  const ctx: EvalContext = {
    pathModule: '.',
    variable: (name) => {
      throw new Error(`the ${which} body refers to var.${name}`);
    },
    local: (name) => {
      const value = stand[name];
      if (value === undefined) throw new Error(`the ${which} body refers to local.${name}`);
      return value;
    },
    data: (type, name) => {
      throw new Error(`the ${which} body refers to data.${type}.${name}`);
    },
  };
  return evaluateJson(expression, ctx);
}

/** `KEY='value'` lines of an inputs heredoc, as a map. */
function inputLines(text: unknown): Record<string, string> {
  const lines = String(text).trimEnd().split('\n');
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('main.tf on built-in defaults (coder_task data source)', async () => {
  const parsed = await parseMainTf();
  const locals = allLocals(parsed);

  it('declares the registry module\'s full variable surface', () => {
    for (const name of REGISTRY_VARIABLES) expect(parsed.variable, name).toHaveProperty(name);
  });

  it('has task_log_snapshot as a bool defaulting to true, described as upstream', () => {
    expect(variable(parsed, 'task_log_snapshot')).toEqual({
      type: '${bool}',
      default: true,
      description: 'Capture last 10 messages when workspace stops for offline viewing while task is paused.',
    });
  });

  it('reads the task from data "coder_task" and passes its ID only when the task is enabled', () => {
    expect(parsed.data?.coder_task).toHaveProperty('me');
    expect(parsed.variable).not.toHaveProperty('task_id');
    expect(locals.task_id).toBe('${try(data.coder_task.me.enabled ? data.coder_task.me.id : "", "")}');
    expect(parsed.terraform[0]?.required_providers[0]?.coder?.version).toBe('>= 2.13');
  });

  it('runs the shutdown script on stop with the task ID, toggle, port, persistence and PID path', () => {
    const shutdown = resource(parsed, 'coder_script', 'agentapi_shutdown');
    expect(shutdown.run_on_stop).toBe(true);
    expect(shutdown.script).toBe('${local.shutdown_body}');
    expect(handOffOf(locals.shutdown_body, 'shutdown')).toBe(handOffBody('agentapi-shutdown.sh', "ARG_X='shutdown inputs'\n#!/bin/sh\necho shutdown\n"));
    expect(inputLines(locals.shutdown_inputs)).toEqual(SHUTDOWN_INPUTS);
    // The two forms, spelt out: strings POSIX single-quoted, numbers and bools as Terraform prints them.
    expect(SHUTDOWN_INPUTS.ARG_TASK_ID).toBe("'${replace(local.task_id, \"'\", \"'\\\\''\")}'");
    expect(SHUTDOWN_INPUTS.ARG_FETCH_TIMEOUT).toBe("'${var.shutdown_fetch_timeout}'");
    expect(locals.shutdown_script_file).toBe('${file("${path.module}/scripts/agentapi-shutdown.sh")}');
  });

  it('passes boundary to the start script under the registry module\'s ARG names', () => {
    const start = inputLines(locals.start_inputs);
    expect(start).toMatchObject({
      ARG_ENABLE_BOUNDARY: "'${var.enable_boundary}'",
      ARG_BOUNDARY_VERSION: "'${replace(var.boundary_version, \"'\", \"'\\\\''\")}'",
      ARG_COMPILE_BOUNDARY_FROM_SOURCE: "'${var.compile_boundary_from_source}'",
      ARG_USE_BOUNDARY_DIRECTLY: "'${var.use_boundary_directly}'",
    });
    expect(Object.keys(inputLines(locals.shutdown_inputs)).filter((name) => name.includes('BOUNDARY'))).toEqual([]);
  });

  it('runs the start script on start with the same task ID', () => {
    const start = resource(parsed, 'coder_script', 'agentapi');
    expect(start.run_on_start).toBe(true);
    expect(start.script).toBe('${local.start_body}');
    expect(handOffOf(locals.start_body, 'start')).toBe(handOffBody('agentapi-start.sh', "ARG_X='start inputs'\n#!/bin/sh\necho start\n"));
    expect(inputLines(locals.start_inputs).ARG_TASK_ID).toBe(SHUTDOWN_INPUTS.ARG_TASK_ID);
    expect(inputLines(locals.start_inputs).ARG_START_SCRIPT).toBe("'${replace(var.start_script, \"'\", \"'\\\\''\")}'");
  });

  it('checks at plan time that each body stays within the kernel\'s bound on one argument, reading its size, not the body', () => {
    for (const [name, local] of [['agentapi', 'start_body'], ['agentapi_shutdown', 'shutdown_body']] as const) {
      const lifecycle = (resource(parsed, 'coder_script', name) as { lifecycle?: Array<{ precondition?: Array<{ condition: string; error_message: string }> }> }).lifecycle;
      const rule = lifecycle?.[0]?.precondition?.[0];
      expect(rule?.condition).toBe(`\${local.${local}_bytes <= ${MAX_BODY_BYTES}}`);
      expect(locals[`${local}_bytes`]).toBe(`\${length(local.${local})}`);
      expect(rule?.error_message).toContain(`longer than ${MAX_BODY_BYTES} bytes, the most Linux passes as one argument`);
    }
  });

  it('health-checks the web app on /status and outputs task_app_id', () => {
    const web = resource(parsed, 'coder_app', 'agentapi_web');
    expect(web.healthcheck).toEqual([{ url: 'http://localhost:${var.agentapi_port}/status', interval: 3, threshold: 20 }]);
    expect(resource(parsed, 'coder_app', 'agentapi_cli').count).toBe('${var.cli_app ? 1 : 0}');
    expect(parsed.output.task_app_id?.[0]?.value).toBe('${local.web_app ? coder_app.agentapi_web[0].id : ""}');
  });

  it('gives the CLI app the directory the start script installs AgentAPI to, whatever the login profile says', () => {
    const command = String(resource(parsed, 'coder_app', 'agentapi_cli').command);
    expect(command).toContain('export PATH="$HOME/.local/bin:$PATH"');
    expect(command.indexOf('export PATH=')).toBeLessThan(command.indexOf('exec agentapi attach'));
  });

  it('always creates the web app in a task workspace, since coder_ai_task points at it', () => {
    expect(resource(parsed, 'coder_app', 'agentapi_web').count).toBe('${local.web_app ? 1 : 0}');
    expect(locals.web_app).toBe('${var.web_app || try(data.coder_task.me.enabled, false)}');
  });

  it('keeps the agentapi_subdomain version validation', () => {
    const validation = variable(parsed, 'agentapi_subdomain').validation?.[0] as { error_message: string; condition: string };
    expect(validation.error_message).toBe('Running with subdomain = false is only supported by agentapi >= v0.3.3.');
    expect(validation.condition).toContain('local.agentapi_subdomain_false_min_version_expr');
  });

  it('uses the workspace data sources for the chat base path', () => {
    expect(parsed.data).toHaveProperty('coder_workspace.me');
    expect(parsed.data).toHaveProperty('coder_workspace_owner.me');
    expect(String(locals.agentapi_chat_base_path)).toContain('data.coder_workspace_owner.me.name');
  });
});

describe('main.tf with taskIdSource "variable" (older coder providers)', async () => {
  const parsed = await parseMainTf({ taskIdSource: 'variable' });

  it('declares task_id as an optional string and no coder_task data source', () => {
    expect(variable(parsed, 'task_id')).toMatchObject({ type: '${string}', default: '' });
    expect(parsed.data?.coder_task).toBeUndefined();
    expect(allLocals(parsed).task_id).toBe('${var.task_id}');
    expect(parsed.terraform[0]?.required_providers[0]?.coder?.version).toBe('>= 2.5');
  });

  it('still passes the task ID and the toggle to the shutdown script', () => {
    const inputs = inputLines(allLocals(parsed).shutdown_inputs);
    expect(inputs.ARG_TASK_ID).toBe(SHUTDOWN_INPUTS.ARG_TASK_ID);
    expect(inputs.ARG_TASK_LOG_SNAPSHOT).toBe(SHUTDOWN_INPUTS.ARG_TASK_LOG_SNAPSHOT);
  });

  it('creates the web app exactly when web_app says so (there is no task data source to ask)', () => {
    expect(allLocals(parsed).web_app).toBe('${var.web_app}');
  });
});

describe('main.tf with toggled defaults', async () => {
  const parsed = await parseMainTf({
    snapshot: { messageCount: 25 },
    timeouts: { fetchSeconds: 3, terminateWaitSeconds: 4 },
    defaults: { taskLogSnapshot: false, agentapiPort: 4000, folder: '/srv/work "quoted" ${not_interpolated}', enableStatePersistence: true },
  });

  it('renders each default into its variable', () => {
    expect(variable(parsed, 'task_log_snapshot').default).toBe(false);
    expect(variable(parsed, 'task_log_snapshot').description).toContain('last 25 messages');
    expect(variable(parsed, 'agentapi_port').default).toBe(4000);
    expect(variable(parsed, 'enable_state_persistence').default).toBe(true);
    expect(variable(parsed, 'shutdown_fetch_timeout').default).toBe(3);
    expect(variable(parsed, 'shutdown_terminate_timeout').default).toBe(4);
  });

  it('keeps the data source, the gated task ID and the stop script\'s inputs', () => {
    const locals = allLocals(parsed);
    expect(parsed.data?.coder_task).toHaveProperty('me');
    expect(locals.task_id).toBe('${try(data.coder_task.me.enabled ? data.coder_task.me.id : "", "")}');
    expect(inputLines(locals.shutdown_inputs)).toMatchObject(SHUTDOWN_INPUTS);
  });

  it('quotes string defaults so they stay literal HCL strings', () => {
    // hcl2json keeps `$${` escaped: the value is the literal text, not an interpolation.
    expect(variable(parsed, 'folder').default).toBe('/srv/work "quoted" $${not_interpolated}');
  });
});

describe('main.tf with the app and install defaults toggled', async () => {
  const parsed = await parseMainTf({
    taskIdSource: 'variable',
    defaults: {
      webApp: false,
      cliApp: true,
      installAgentapi: false,
      agentapiVersion: 'v0.12.1',
      agentapiSubdomain: false,
      cliAppIcon: '/icon/goose.svg',
      installScript: "npm i -g 'my-agent'",
      taskLogSnapshot: false,
    },
  });

  it('renders every toggled default into its variable', () => {
    expect(variable(parsed, 'web_app').default).toBe(false);
    expect(variable(parsed, 'cli_app').default).toBe(true);
    expect(variable(parsed, 'install_agentapi').default).toBe(false);
    expect(variable(parsed, 'agentapi_version').default).toBe('v0.12.1');
    expect(variable(parsed, 'agentapi_subdomain').default).toBe(false);
    expect(variable(parsed, 'cli_app_icon').default).toBe('/icon/goose.svg');
    expect(variable(parsed, 'install_script').default).toBe("npm i -g 'my-agent'");
    expect(variable(parsed, 'task_log_snapshot')).toMatchObject({ type: '${bool}', default: false });
  });

  it('keeps the task_id variable and the stop script\'s inputs in variable mode', () => {
    const locals = allLocals(parsed);
    expect(variable(parsed, 'task_id')).toMatchObject({ type: '${string}', default: '' });
    expect(parsed.data?.coder_task).toBeUndefined();
    expect(inputLines(locals.shutdown_inputs)).toMatchObject(SHUTDOWN_INPUTS);
    expect(resource(parsed, 'coder_script', 'agentapi_shutdown').run_on_stop).toBe(true);
  });
});

describe('main.tf validates the shutdown_* timeouts as the script reads them (whole seconds, 0 to 3600)', async () => {
  const TIMEOUTS = ['shutdown_fetch_timeout', 'shutdown_post_timeout', 'shutdown_snapshot_deadline', 'shutdown_state_save_wait', 'shutdown_terminate_timeout'];
  const parsed = await parseMainTf();
  const validation = (name: string) => variable(parsed, name).validation?.[0] as { error_message: string; condition: string } | undefined;

  it.each(TIMEOUTS)('%s: a whole number from 0 to 3600, with an error message naming it', (name) => {
    expect(validation(name), `${name} has no validation block`).toBeDefined();
    const ref = `var.${name}`;
    expect(validation(name)?.condition).toBe(`\${try(${ref} >= 0 && ${ref} <= 3600 && floor(${ref}) == ${ref}, false)}`);
    expect(validation(name)?.error_message).toBe(`${name} must be a whole number of seconds from 0 to 3600.`);
  });

  /** The condition evaluated as Terraform would (the harness's HCL evaluator), with the variable set to `value`. */
  function accepts(name: string, value: HclValue): HclValue {
    const ctx: EvalContext = {
      variable: (wanted) => {
        if (wanted !== name) throw new Error(`the condition of ${name} refers to var.${wanted}`);
        return value;
      },
      local: (wanted) => {
        throw new Error(`the condition of ${name} refers to local.${wanted}`);
      },
      data: (type) => {
        throw new Error(`the condition of ${name} refers to data.${type}`);
      },
      pathModule: '.',
    };
    return evaluateJson(validation(name)?.condition, ctx);
  }

  it.each(TIMEOUTS)('%s accepts 0, 1, 100 and 3600 and rejects 1.5, -1, 3601 and null', (name) => {
    expect([0, 1, 100, 3600].map((value) => accepts(name, value))).toEqual([true, true, true, true]);
    expect([1.5, -1, 3601, null].map((value) => accepts(name, value))).toEqual([false, false, false, false]);
  });
});
