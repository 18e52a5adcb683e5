import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { renderModuleToDir } from '../../src/generate/render-to-dir.ts';
import { handOffBody, readHandOff, splitPayload } from '../../src/contract/hand-off.ts';
import {
  DEFAULT_MODULE_DIR,
  evaluateModuleExpression,
  EXAMPLE_REQUIRED_VARIABLES,
  renderCoderScriptBody,
  SCRIPT_FILES,
} from '../../src/agent-simulation/coder-script.ts';
import {
  type EvalContext,
  evaluate,
  evaluateJson,
  formatNumber,
  HclEvalError,
  HclStaticError,
  type HclValue,
  parseExpression,
  parseTemplate,
  UnsupportedHclError,
} from '../../src/agent-simulation/hcl-eval.ts';
import { hasCommand } from '../support/commands.ts';

const fixtureDir = await mkdtemp(join(tmpdir(), 'agentapi-kit-hcl-eval-'));
await writeFile(join(fixtureDir, 'hello.txt'), 'hello from a file\n');
afterAll(() => rm(fixtureDir, { recursive: true, force: true }));

/** A context with a few variables, locals and data, enough to exercise each construct. */
function context(overrides: Partial<Record<string, HclValue>> = {}): EvalContext {
  const vars: Record<string, HclValue> = { name: 'world', flag: true, off: false, port: 3284, nothing: null, quote: "it's", ...overrides };
  const locals: Record<string, string> = { greeting: 'hello ${var.name}', self: '${local.self}' };
  const ctx: EvalContext = {
    pathModule: fixtureDir,
    variable(name) {
      if (!Object.hasOwn(vars, name)) throw new HclStaticError(`Reference to undeclared input variable "${name}"`);
      return vars[name] as HclValue;
    },
    local(name) {
      if (!Object.hasOwn(locals, name)) throw new HclStaticError(`Reference to undeclared local value "${name}"`);
      return evaluateJson(locals[name], ctx);
    },
    data(type, name) {
      if (type === 'coder_task' && name === 'me') return { id: 'task-1', enabled: true };
      throw new HclStaticError(`Reference to undeclared data source "data.${type}.${name}"`);
    },
  };
  return ctx;
}

/** Evaluates text written the way hcl2json hands a string attribute over. */
function ev(text: string, ctx = context()): HclValue {
  return evaluateJson(text, ctx);
}

describe('hcl-eval: templates', () => {
  it('interpolates references into literal text', () => {
    expect(ev('Hello ${var.name}!')).toBe('Hello world!');
  });

  it('keeps $${ and %%{ as literal ${ and %{', () => {
    expect(ev('a $${var.name} b %%{ c }')).toBe('a ${var.name} b %{ c }');
  });

  it('returns the value itself, not a string, for a template that is one interpolation', () => {
    expect(ev('${var.flag}')).toBe(true);
    expect(ev('${var.port}')).toBe(3284);
    expect(ev('${var.nothing}')).toBeNull();
  });

  it('renders bools as true/false and numbers in decimal inside a template', () => {
    expect(ev('${var.flag}/${var.off}/${var.port}')).toBe('true/false/3284');
    expect(ev('x${1.5}')).toBe('x1.5');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1.5e-7)).toBe('0.00000015');
    expect(formatNumber(-2.5e22)).toBe('-25000000000000000000000');
  });

  it('processes escapes in nested quoted strings, and nests templates inside them', () => {
    expect(ev('${"a\\"b\\\\c\\n\\td\\u00e9"}')).toBe('a"b\\c\n\tdé');
    expect(ev('<${"in ${"deep ${var.name}"} out"}>')).toBe('<in deep world out>');
    expect(ev('${"$${not} %%{this}"}')).toBe('${not} %{this}');
  });

  it('errors on interpolating null', () => {
    expect(() => ev('x${var.nothing}')).toThrow(HclEvalError);
  });

  it('skips comments inside an expression', () => {
    expect(ev('${var.flag || # a comment\n false}')).toBe(true);
    expect(ev('${/* c */ var.name // tail\n}')).toBe('world');
  });
});

describe('hcl-eval: references and literals', () => {
  it('resolves var, local, data and path.module', () => {
    expect(ev('${local.greeting}')).toBe('hello world');
    expect(ev('${data.coder_task.me.id}')).toBe('task-1');
    expect(ev('${path.module}')).toBe(fixtureDir);
  });

  it('evaluates literals', () => {
    expect(ev('${"s"}')).toBe('s');
    expect(ev('${42}')).toBe(42);
    expect(ev('${true}')).toBe(true);
    expect(ev('${null}')).toBeNull();
    expect(evaluateJson(7, context())).toBe(7);
  });

  it('reports undeclared references and cycles as static errors', () => {
    expect(() => ev('${var.missing}')).toThrow(/undeclared input variable "missing"/);
    expect(() => ev('${local.missing}')).toThrow(HclStaticError);
    expect(() => ev('${data.coder_workspace.me.name}')).toThrow(/undeclared data source/);
  });

  it('errors on a missing attribute of a data source (dynamic, so try() can catch it)', () => {
    expect(() => ev('${data.coder_task.me.nope}')).toThrow(HclEvalError);
    expect(ev('${try(data.coder_task.me.nope, "fallback")}')).toBe('fallback');
  });
});

describe('hcl-eval: operators', () => {
  it('evaluates the conditional, picking one side', () => {
    expect(ev('${var.flag ? "yes" : "no"}')).toBe('yes');
    expect(ev('${var.off ? "yes" : "no"}')).toBe('no');
    expect(ev('${var.off ? "a" : var.flag ? "b" : "c"}')).toBe('b');
  });

  it('compares with == and != without type conversion', () => {
    expect(ev('${var.nothing == null}')).toBe(true);
    expect(ev('${var.name != null}')).toBe(true);
    expect(ev('${var.port == 3284}')).toBe(true);
    expect(ev('${"3284" == 3284}')).toBe(false);
  });

  it('evaluates ||, && and ! with the usual precedence', () => {
    expect(ev('${var.off || var.flag && !var.off}')).toBe(true);
    expect(ev('${!(var.flag && var.off)}')).toBe(true);
    expect(ev('${(var.off || var.off) == false}')).toBe(true);
    expect(ev('${"true" && true}')).toBe(true);
  });

  it('compares numbers with < <= > >=, converting numeric strings, binding tighter than == and &&', () => {
    expect(ev('${var.port >= 3284 && var.port <= 3284}')).toBe(true);
    expect(ev('${var.port > 3284 || var.port < 3284}')).toBe(false);
    expect(ev('${"10" > 9}')).toBe(true);
    expect(ev('${1 < 2 == true}')).toBe(true);
    expect(() => ev('${var.nothing >= 0}')).toThrow(/a number is required/);
    expect(() => ev('${var.flag < 1}')).toThrow(HclEvalError);
    // The validation idiom: a null or non-number fails the check instead of the evaluation.
    expect(ev('${try(var.nothing >= 0, false)}')).toBe(false);
  });

  it('evaluates both sides of || (Terraform does not short-circuit)', () => {
    expect(() => ev('${true || regex("x", "y") == "x"}')).toThrow(/found no match/);
  });

  it('rejects a non-bool condition', () => {
    expect(() => ev('${var.name ? 1 : 2}')).toThrow(/a bool is required/);
  });
});

describe('hcl-eval: functions', () => {
  it('try returns the first argument that evaluates without error', () => {
    expect(ev('${try(regex("z", "abc"), "second")}')).toBe('second');
    expect(ev('${try("first", regex("z", "abc"))}')).toBe('first');
    expect(() => ev('${try(regex("z", "abc"))}')).toThrow(/No try\(\) argument succeeded/);
  });

  it('try does not hide unsupported syntax or undeclared references', () => {
    expect(() => ev('${try(upper("a"), "b")}')).toThrow(UnsupportedHclError);
    expect(() => ev('${try(var.missing, "b")}')).toThrow(HclStaticError);
  });

  it('length counts grapheme clusters, as Terraform does', () => {
    expect(ev('${length("abc")}')).toBe(3);
    expect(ev('${length("e\u0301👍🏽\\r\\n")}')).toBe(3);
  });

  it('base64encode encodes the UTF-8 bytes', () => {
    expect(ev('${base64encode("hé ${var.name}")}')).toBe(Buffer.from('hé world').toString('base64'));
  });

  it('replace replaces every occurrence of a plain string', () => {
    expect(ev(`\${replace(var.quote, "'", "'\\\\''")}`)).toBe("it'\\''s");
    expect(ev('${replace("a.b.c", ".", "")}')).toBe('abc');
  });

  it('trimsuffix removes one suffix only when present', () => {
    expect(ev('${trimsuffix("/home/coder//", "/")}')).toBe('/home/coder/');
    expect(ev('${trimsuffix("abc", "x")}')).toBe('abc');
  });

  it('file reads relative to path.module and errors on a missing file', () => {
    expect(ev('${file("${path.module}/hello.txt")}')).toBe('hello from a file\n');
    expect(() => ev('${file("${path.module}/nope.txt")}')).toThrow(/no file exists/);
  });

  it('tostring converts primitives and keeps null', () => {
    expect(ev('${tostring(var.port)}')).toBe('3284');
    expect(ev('${tostring(var.flag)}')).toBe('true');
    expect(ev('${tostring(var.nothing)}')).toBeNull();
  });

  it('can + regex tell matching from non-matching input', () => {
    expect(ev('${can(regex("^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", "v0.10.0"))}')).toBe(true);
    expect(ev('${can(regex("^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", "latest"))}')).toBe(false);
    expect(ev('${regex("b(c)", "abcd")}')).toEqual(['c']);
    expect(ev('${regex("(?P<x>c)", "abcd")}')).toEqual({ x: 'c' });
  });

  it('floor rounds down and refuses null', () => {
    expect(ev('${floor(2.7)}')).toBe(2);
    expect(ev('${floor("-2.5")}')).toBe(-3);
    expect(ev('${floor(var.port) == var.port}')).toBe(true);
    expect(() => ev('${floor(var.nothing)}')).toThrow(HclEvalError);
  });

  it('checks the number of arguments', () => {
    expect(() => ev('${replace("a", "b")}')).toThrow(/replace\(\) takes 3 argument/);
  });
});

describe('hcl-eval: unsupported syntax is named, never guessed', () => {
  const cases: Array<[string, RegExp]> = [
    ['${var.port + 1}', /operator or bracket "\+"/],
    ['${var.port * 2}', /operator or bracket "\*"/],
    ['${[1, 2]}', /operator or bracket "\["/],
    ['${{a = 1}}', /operator or bracket "\{"/],
    ['${upper("a")}', /function upper\(\)/],
    ['${replace("a", "/a/", "b")}', /regular expression search string/],
    ['${coder_app.web.id}', /reference "coder_app.web.id"/],
    ['${path.root}', /only path.module/],
    ['%{ if true }x%{ endif }', /template directive/],
    ['${~ var.name}', /strip marker/],
    ['${var.name ~}', /strip marker/],
    ['${<<EOT\nx\nEOT\n}', /heredoc/],
    ['${(var.name).x}', /attribute access on a computed value/],
  ];
  it.each(cases)('%s', (text, message) => {
    const run = () => ev(text);
    expect(run).toThrow(UnsupportedHclError);
    expect(run).toThrow(/^Unsupported HCL expression: /);
    expect(run).toThrow(message);
  });

  it('reports syntax errors with an excerpt', () => {
    expect(() => parseExpression('var.name )')).toThrow(/unexpected text after expression/);
    expect(() => parseTemplate('${"unterminated}')).toThrow(/unterminated string/);
    expect(() => parseTemplate('${var.name')).toThrow(/expected "}"/);
  });

  it('parses once and evaluates many times against different contexts', () => {
    const node = parseTemplate('${var.flag ? "on" : "off"}');
    expect(evaluate(node, context())).toBe('on');
    expect(evaluate(node, context({ flag: false }))).toBe('off');
  });
});

// ---------------------------------------------------------------------------------------------
// The real module

const shutdown = (variables: Record<string, unknown> = {}, data?: Parameters<typeof renderCoderScriptBody>[0]['data'], moduleDir = DEFAULT_MODULE_DIR) =>
  renderCoderScriptBody({ moduleDir, resource: 'agentapi_shutdown', variables: { ...EXAMPLE_REQUIRED_VARIABLES, ...variables }, data });

/** The ARG_* assignments of a shutdown body, as a map, read by a real POSIX shell. */
async function shutdownInputs(body: string, resource: 'agentapi' | 'agentapi_shutdown' = 'agentapi_shutdown', moduleDir = DEFAULT_MODULE_DIR): Promise<string> {
  const file = resource === 'agentapi' ? 'agentapi-start.sh' : 'agentapi-shutdown.sh';
  const script = await readFile(join(moduleDir, 'scripts', file), 'utf8');
  return splitPayload(readHandOff(body).payload, script).inputs;
}

function argLine(inputs: string, name: string): string | undefined {
  return inputs.split('\n').find((line) => line.startsWith(`${name}=`));
}

describe('coder_script bodies of the generated module', () => {
  let variableModule: string;
  beforeAll(async () => {
    variableModule = await mkdtemp(join(tmpdir(), 'agentapi-kit-variable-module-'));
    await renderModuleToDir({ ...defaultConfig, taskIdSource: 'variable' }, variableModule);
  });
  afterAll(async () => {
    await rm(variableModule, { recursive: true, force: true });
  });

  it('has exactly the one-hand-off shape, for both resources', async () => {
    for (const resource of ['agentapi', 'agentapi_shutdown'] as const) {
      const body = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource, variables: { ...EXAMPLE_REQUIRED_VARIABLES } });
      const { fileName, payload } = readHandOff(body);
      expect(fileName).toBe(SCRIPT_FILES[resource].slice('scripts/'.length));
      expect(body).toBe(handOffBody(fileName, payload));
    }
  });

  it('decodes to the inputs followed by the script file, byte for byte', async () => {
    const body = await shutdown();
    const decoded = readHandOff(body).payload;
    const script = await readFile(join(DEFAULT_MODULE_DIR, 'scripts', 'agentapi-shutdown.sh'), 'utf8');
    expect(decoded.endsWith(script)).toBe(true);
    expect(decoded.startsWith("ARG_TASK_ID=''\nARG_TASK_LOG_SNAPSHOT='true'\nARG_AGENTAPI_PORT='3284'\n")).toBe(true);
  });

  it('passes the task ID only when the task is enabled (data-source mode)', async () => {
    const enabled = await shutdownInputs(await shutdown({}, { taskEnabled: true, taskId: '3f9c2a1e-7b4d-4e8f-a0c1-5d6e7f8a9b0c' }));
    expect(argLine(enabled, 'ARG_TASK_ID')).toBe("ARG_TASK_ID='3f9c2a1e-7b4d-4e8f-a0c1-5d6e7f8a9b0c'");
    // Outside a task the provider still reports a random UUID as the id: it must not leak through.
    const disabled = await shutdownInputs(await shutdown({}, { taskEnabled: false, taskId: '3f9c2a1e-7b4d-4e8f-a0c1-5d6e7f8a9b0c' }));
    expect(argLine(disabled, 'ARG_TASK_ID')).toBe("ARG_TASK_ID=''");
    const defaults = await shutdownInputs(await shutdown());
    expect(argLine(defaults, 'ARG_TASK_ID')).toBe("ARG_TASK_ID=''");
  });

  it('takes the task ID from var.task_id in variable mode, whatever coder_task would say', async () => {
    const inputs = await shutdownInputs(await shutdown({ task_id: 'from-variable' }, { taskEnabled: true, taskId: 'from-data' }, variableModule), 'agentapi_shutdown', variableModule);
    expect(argLine(inputs, 'ARG_TASK_ID')).toBe("ARG_TASK_ID='from-variable'");
    const empty = await shutdownInputs(await shutdown({}, undefined, variableModule), 'agentapi_shutdown', variableModule);
    expect(argLine(empty, 'ARG_TASK_ID')).toBe("ARG_TASK_ID=''");
    // The data-source module does not declare var.task_id.
    await expect(shutdown({ task_id: 'x' })).rejects.toThrow(/unknown variable\(s\) "task_id"/);
  });

  it('evaluates local.task_id on its own', async () => {
    const value = await evaluateModuleExpression({ moduleDir: DEFAULT_MODULE_DIR, variables: { ...EXAMPLE_REQUIRED_VARIABLES }, data: { taskEnabled: true, taskId: 'abc' }, expression: '${local.task_id}' });
    expect(value).toBe('abc');
  });

  it('renders task_log_snapshot as true or false', async () => {
    expect(argLine(await shutdownInputs(await shutdown()), 'ARG_TASK_LOG_SNAPSHOT')).toBe("ARG_TASK_LOG_SNAPSHOT='true'");
    expect(argLine(await shutdownInputs(await shutdown({ task_log_snapshot: false })), 'ARG_TASK_LOG_SNAPSHOT')).toBe("ARG_TASK_LOG_SNAPSHOT='false'");
    // Terraform converts the string "false" for a bool variable.
    expect(argLine(await shutdownInputs(await shutdown({ task_log_snapshot: 'false' })), 'ARG_TASK_LOG_SNAPSHOT')).toBe("ARG_TASK_LOG_SNAPSHOT='false'");
  });

  it('renders number variables in decimal', async () => {
    const inputs = await shutdownInputs(await shutdown({ agentapi_port: 8080, shutdown_fetch_timeout: '7' }));
    expect(argLine(inputs, 'ARG_AGENTAPI_PORT')).toBe("ARG_AGENTAPI_PORT='8080'");
    expect(argLine(inputs, 'ARG_FETCH_TIMEOUT')).toBe("ARG_FETCH_TIMEOUT='7'");
  });

  it('errors clearly on a required variable without a value and on unknown variables', async () => {
    const { start_script: _, module_dir_name: __, ...partial } = EXAMPLE_REQUIRED_VARIABLES;
    await expect(renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi_shutdown', variables: partial })).rejects.toThrow(
      /required variable\(s\) without a value: "module_dir_name", "start_script"/,
    );
    await expect(shutdown({ no_such_variable: 1 })).rejects.toThrow(/unknown variable\(s\) "no_such_variable"/);
    await expect(shutdown({ task_log_snapshot: 'maybe' })).rejects.toThrow(/Invalid value for variable "task_log_snapshot": bool required/);
  });

  it('checks variable validations (agentapi_subdomain = false needs agentapi >= v0.3.3)', async () => {
    await expect(shutdown({ agentapi_subdomain: false, agentapi_version: 'v0.3.2' })).rejects.toThrow(/only supported by agentapi >= v0.3.3/);
    await expect(shutdown({ agentapi_subdomain: false, agentapi_version: 'v0.3.3' })).resolves.toSatisfy((body: string) => readHandOff(body).fileName === 'agentapi-shutdown.sh');
    await expect(shutdown({ agentapi_subdomain: false, agentapi_version: 'main' })).resolves.toSatisfy((body: string) => readHandOff(body).fileName === 'agentapi-shutdown.sh');
  });

  it('builds the chat base path from the workspace data sources without a subdomain', async () => {
    const body = await renderCoderScriptBody({
      moduleDir: DEFAULT_MODULE_DIR,
      resource: 'agentapi',
      variables: { ...EXAMPLE_REQUIRED_VARIABLES, agentapi_subdomain: false },
      data: { ownerName: 'alice', workspaceName: 'ws1' },
    });
    const inputs = await shutdownInputs(body, 'agentapi');
    expect(argLine(inputs, 'ARG_AGENTAPI_CHAT_BASE_PATH')).toBe(
      `ARG_AGENTAPI_CHAT_BASE_PATH='/@alice/ws1.${EXAMPLE_REQUIRED_VARIABLES.agent_id}/apps/${EXAMPLE_REQUIRED_VARIABLES.web_app_slug}/chat'`,
    );
  });

  it('replaces the script file with a user-supplied one, wrapped the same way', async () => {
    const body = await renderCoderScriptBody({
      moduleDir: DEFAULT_MODULE_DIR,
      resource: 'agentapi_shutdown',
      variables: { ...EXAMPLE_REQUIRED_VARIABLES },
      files: { 'scripts/agentapi-shutdown.sh': '#!/bin/sh\necho custom\n' },
    });
    expect(readHandOff(body).payload.endsWith("ARG_TERMINATE_TIMEOUT='2'\n#!/bin/sh\necho custom\n")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any string value reaches the shell unchanged

/** Strings heavy in what breaks quoting, plus arbitrary Unicode; never NUL (a shell cannot hold one). */
const nasty = fc
  .oneof(
    fc.string({ unit: fc.constantFrom("'", '"', '\\', '$', '`', '\n', '\r', '\t', ' ', '{', '}', '(', ')', ';', '&', '|', '*', '~', '#', '!', 'é', '€', '😀', 'a', '%', '\\n') }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  )
  .filter((text) => !text.includes('\0') && isWellFormed(text));

/** No lone surrogates (the lib target here predates String.prototype.isWellFormed). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Runs the ARG_* assignments in dash and prints the named variables NUL-separated. */
function valuesSeenByShell(inputs: string, names: string[]): string[] {
  const printer = `printf '%s\\0' ${names.map((name) => `"$${name}"`).join(' ')}`;
  const run = spawnSync('dash', ['-c', `${inputs}${printer}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } });
  if (run.status !== 0) throw new Error(`dash failed (${run.status}): ${run.stderr}`);
  return run.stdout.split('\0').slice(0, names.length);
}

describe.skipIf(!hasCommand('dash'))('property: string variables survive to the shell (needs dash)', () => {
  it('pid_file_path and module_dir_name (shutdown body)', async () => {
    const script = await readFile(join(DEFAULT_MODULE_DIR, 'scripts', 'agentapi-shutdown.sh'), 'utf8');
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (pidFile, dirName) => {
        const body = await shutdown({ pid_file_path: pidFile, module_dir_name: dirName });
        const { inputs } = splitPayload(readHandOff(body).payload, script);
        // Terraform keeps strings in Unicode NFC, so that is what the shell is promised.
        expect(valuesSeenByShell(inputs, ['ARG_PID_FILE_PATH', 'ARG_MODULE_DIR_NAME'])).toEqual([pidFile.normalize('NFC'), dirName.normalize('NFC')]);
      }),
      { numRuns: 150 },
    );
  });

  it('start_script and the install scripts (start body)', async () => {
    const script = await readFile(join(DEFAULT_MODULE_DIR, 'scripts', 'agentapi-start.sh'), 'utf8');
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (startScript, installScript) => {
        const body = await renderCoderScriptBody({
          moduleDir: DEFAULT_MODULE_DIR,
          resource: 'agentapi',
          variables: { ...EXAMPLE_REQUIRED_VARIABLES, start_script: startScript, install_script: installScript },
        });
        const { inputs } = splitPayload(readHandOff(body).payload, script);
        expect(valuesSeenByShell(inputs, ['ARG_START_SCRIPT', 'ARG_INSTALL_SCRIPT', 'ARG_PRE_INSTALL_SCRIPT'])).toEqual([
          startScript.normalize('NFC'),
          installScript.normalize('NFC'),
          '',
        ]);
      }),
      { numRuns: 150 },
    );
  });
});
