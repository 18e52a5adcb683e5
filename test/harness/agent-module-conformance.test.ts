/**
 * `conformance --module` on an agent module: the agentapi module it nests runs, with the inputs the
 * agent module's own `module "agentapi"` call passes (evaluated from its main.tf for every run).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { runConformance } from '../../src/conformance/conformance.ts';
import { scenarioByName } from '../../src/conformance/scenarios.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

const REPO = resolve(import.meta.dirname, '../..');
const GOOSE_VARS = { goose_provider: 'anthropic', goose_model: 'claude-sonnet' };

describe('conformance --module with an agent module', () => {
  it('names the required variables of the agent module and how to give them (exit 2), not a raw ENOENT', () => {
    const result = runCli(['conformance', '--module', 'modules/goose', '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'happy-path'], { cwd: REPO });
    expect(result.stderr).not.toContain('ENOENT');
    expect(result.stderr).toMatch(/^Error: --module .*modules\/goose: required variable\(s\) without a value: "goose_model", "goose_provider"; give them with --var NAME=VALUE, --var-file FILE or TF_VAR_NAME in the environment$/m);
    expect(result.status).toBe(2);
  });

  it.skipIf(!hasCommand('dash') || !hasCommand('curl'))('runs the agentapi scripts goose nests, through its call (needs dash, curl)', () => {
    const result = runCli(
      ['conformance', '--module', 'modules/goose', '--var', 'goose_provider=anthropic', '--var', 'goose_model=claude-sonnet', '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'happy-path,snapshot-disabled'],
      { cwd: REPO, timeoutMs: 120_000 },
    );
    expect(result.stdout).toMatch(/agent module .*modules\/goose, calling the agentapi module .*modules\/agentapi with the inputs it passes/);
    expect(result.stdout).toContain('2 passed, 0 failed');
    expect(result.status).toBe(0);
  }, 150_000);
});

describe.skipIf(!hasCommand('dash') || !hasCommand('curl'))('the module author\'s loop: new-agent, generate, conformance --module (needs dash, curl)', () => {
  it('a module generated from the starting spec passes its scenarios through its own call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'author-'));
    try {
      expect(runCli(['new-agent', 'my-agent'], { cwd: dir }).status).toBe(0);
      await writeFile(join(dir, 'agentapi-kit.config.json'), JSON.stringify({ agents: ['my-agent.yaml'] }));
      expect(runCli(['generate'], { cwd: dir }).status).toBe(0);
      const result = runCli(['conformance', '--module', 'modules/my-agent', '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'happy-path,snapshot-disabled,pid-file-variable'], { cwd: dir, timeoutMs: 120_000 });
      expect(result.stdout).toContain('agent module');
      expect(result.stdout).toContain('3 passed, 0 failed');
      expect(result.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe.skipIf(!hasCommand('dash') || !hasCommand('curl'))("an agent module's call is what runs (needs dash, curl)", () => {
  let copy: string;
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'agent-module-'));
    for (const module of ['goose', 'agentapi']) await cp(join(REPO, 'modules', module), join(copy, module), { recursive: true });
  });
  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  const run = (scenarios: string[]) =>
    runConformance({
      scenarios: scenarios.map(scenarioByName),
      shells: [shellByName('dash')],
      toolboxes: ['full'],
      moduleDir: join(copy, 'agentapi'),
      caller: { kind: 'wrapper', caller: 'agent module goose', wrapperDir: join(copy, 'goose'), variables: { agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id, ...GOOSE_VARS } },
      concurrency: 2,
    });

  it('a wrapper that drops the template author\'s task_log_snapshot fails the happy path, naming the missing upload', async () => {
    const mainTf = join(copy, 'goose', 'main.tf');
    const text = await readFile(mainTf, 'utf8');
    expect(text).toMatch(/task_log_snapshot\s*=\s*var\.task_log_snapshot/);
    await writeFile(mainTf, text.replace(/task_log_snapshot(\s*)=(\s*)var\.task_log_snapshot/, 'task_log_snapshot$1=$2false'));
    const report = await run(['happy-path']);
    expect(report.failed).toBe(1);
    expect(report.results[0]?.failures.join('\n')).toMatch(/upload-count: coderd saw 0 snapshot upload\(s\).*expected 1/);
    await writeFile(mainTf, text);
    expect((await run(['happy-path'])).failed).toBe(0);
  });

  it('skips a scenario about an input the wrapper sets itself, by name', async () => {
    // module_dir_name is one of the inputs an agent module sets itself; no scenario sets it, so a made-up one does.
    const report = await runConformance({
      scenarios: [{ ...scenarioByName('happy-path'), name: 'own-dir', variables: { module_dir_name: '.elsewhere' } }],
      shells: [shellByName('dash')],
      toolboxes: ['full'],
      moduleDir: join(copy, 'agentapi'),
      caller: { kind: 'wrapper', caller: 'agent module goose', wrapperDir: join(copy, 'goose'), variables: { agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id, ...GOOSE_VARS } },
    });
    expect(report.results[0]?.skipped).toBe('needs module_dir_name set by the template; the agent module goose sets it itself');
  });
});
