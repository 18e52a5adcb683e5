/**
 * Spec mistakes that would otherwise surface only in a running workspace, as a module author meets
 * them: `new-agent` writes the starting spec, the author edits it, `generate` (the CLI, a process)
 * answers with one `Error:` naming the file, the field (and its line) and the problem, exit 2, and
 * writes nothing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('generate rejects agent spec mistakes before a workspace meets them (the CLI, from a new-agent spec)', () => {
  let dir: string;
  let starter: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-spec-errors-'));
    const made = runCli(['new-agent', 'my-agent', '--out', join(dir, 'starter.yaml')]);
    expect(made.status, made.stderr).toBe(0);
    starter = await readFile(join(dir, 'starter.yaml'), 'utf8');
    await writeFile(join(dir, 'agentapi-kit.config.json'), JSON.stringify({ outDir: 'modules/agentapi', agents: ['my-agent.yaml'] }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Writes the edited starter spec and runs `generate` on it; `lineOf` finds a line of the edited spec. */
  async function generateWith(edit: (spec: string) => string) {
    const spec = edit(starter);
    expect(spec, 'the edit changed the spec').not.toBe(starter);
    await writeFile(join(dir, 'my-agent.yaml'), spec);
    const lineOf = (start: string) => spec.split('\n').findIndex((line) => line.startsWith(start)) + 1;
    return { ...runCli(['generate'], { cwd: dir }), lineOf };
  }

  function expectRejected(result: { status: number | null; stdout: string; stderr: string }, stderr: string) {
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(2);
    expect(existsSync(join(dir, 'modules'))).toBe(false);
  }

  it('a sensitive variable read in install as $ARG_<NAME>', async () => {
    const result = await generateWith((spec) => spec.replace('  echo "Install My Agent here', '  my-agent login --key "$ARG_MY_AGENT_API_KEY"\n  echo "Install My Agent here'));
    expectRejected(
      result,
      'Error: invalid agent spec my-agent.yaml:\n' +
        `  install (line ${result.lineOf('install:')}): script line 5 uses ARG_MY_AGENT_API_KEY, but var.my_agent_api_key is sensitive and never reaches ARG_* (unset there: "$ARG_MY_AGENT_API_KEY" stops the install with "ARG_MY_AGENT_API_KEY: parameter not set"); read "$MY_AGENT_API_KEY" instead, which env sets from \${var.my_agent_api_key}\n`,
    );
  });

  it('a sensitive variable on the command line', async () => {
    const result = await generateWith((spec) => spec.replace('command: [my-agent]', 'command: [my-agent, --key, "${var.my_agent_api_key}"]'));
    expectRejected(
      result,
      'Error: invalid agent spec my-agent.yaml:\n' +
        `  start.command.2 (line ${result.lineOf('  command:')}): var.my_agent_api_key is sensitive and must not be on a command line (every process can read it); read "$MY_AGENT_API_KEY" instead, which env sets from \${var.my_agent_api_key}\n`,
    );
  });

  it('an unknown key close to a field', async () => {
    const result = await generateWith((spec) => spec.replace('promptArgs: ["{prompt}"]', 'promtArgs: ["{prompt}"]'));
    expectRejected(result, `Error: invalid agent spec my-agent.yaml:\n  start.promtArgs (line ${result.lineOf('  promtArgs:')}): unknown field; did you mean "promptArgs"?\n`);
  });

  it('a missing agentType, with the valid values', async () => {
    const result = await generateWith((spec) => spec.replace('agentType: custom\n', ''));
    expectRejected(
      result,
      'Error: invalid agent spec my-agent.yaml:\n  agentType: required; one of: aider, amazonq, amp, auggie, claude, codex, copilot, cursor, cursor-agent, custom, gemini, goose, opencode, q\n',
    );
  });

  it('a YAML syntax error, with the line and a caret', async () => {
    const result = await generateWith((spec) => spec.replace('command: [my-agent]', 'command: [my-agent'));
    const line = result.lineOf('  promptArgs:');
    expectRejected(
      result,
      `Error: agent spec my-agent.yaml is not valid YAML: line ${line}, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]\n` +
        `  ${line} |   promptArgs: ["{prompt}"]\n` +
        `  ${' '.repeat(String(line).length)} |   ^\n`,
    );
  });

  it('a --config that cannot be read ends with the --help hint', () => {
    const result = runCli(['generate', '--config', 'absent.json'], { cwd: dir });
    expect(result.stderr).toBe('Error: cannot read config absent.json (ENOENT)\n(run with --help for usage)\n');
    expect(result.status).toBe(2);
  });

  it('a variable on the command line reaches start.sh as one quoted word, and the module stays up to date', async () => {
    const result = await generateWith((spec) =>
      spec.replace('command: [my-agent]', 'command: [my-agent, "--model=${var.model}"]').replace('variables:\n', 'variables:\n  - name: model\n    type: string\n    description: The model.\n    default: small\n'),
    );
    expect(result.status, result.stderr).toBe(0);
    expect(await readFile(join(dir, 'modules/my-agent/scripts/start.sh'), 'utf8')).toContain(`  set -- 'my-agent' '--model='"$ARG_MODEL"\n`);
    expect(await readFile(join(dir, 'modules/my-agent/main.tf'), 'utf8')).toContain(`ARG_MODEL='\${replace(tostring(var.model), "'", "'\\\\''")}'`);
    const check = runCli(['generate', '--check'], { cwd: dir });
    expect(check.status, check.stderr).toBe(0);
  }, 120_000);
});
