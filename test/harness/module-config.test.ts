/**
 * `conformance --module DIR` holds a module to its own generator config: the facts are read back
 * from the module (module-facts.ts), the expectations follow them, and scenarios that cannot apply
 * are skipped by name. Modules generated with messageCount 5, with taskIdSource "variable" and
 * with the snapshot off by default pass the scenarios that depend on those settings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR } from '../../src/agent-simulation/coder-script.ts';
import { runConformance } from '../../src/conformance/conformance.ts';
import { generatedModuleTempDir } from '../../src/agent-simulation/generated-module.ts';
import { readModuleFacts } from '../../src/conformance/module-facts.ts';
import { scenarioByName } from '../../src/conformance/scenarios.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

/** Modules generated for these tests, removed at the end. */
const cleanups: Array<() => Promise<void>> = [];
async function moduleWith(input: Parameters<typeof generatedModuleTempDir>[0]): Promise<string> {
  const made = await generatedModuleTempDir(input);
  cleanups.push(made.cleanup);
  return made.dir;
}
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('module facts', () => {
  it('reads the default module as the default config made it', async () => {
    expect(await readModuleFacts(DEFAULT_MODULE_DIR)).toEqual({
      messageCount: 10,
      payloadLimitBytes: 65536,
      taskIdSource: 'data-source',
      snapshotDefault: true,
      agentapiVersionDefault: 'v0.10.0',
      timeouts: { fetch: 2, post: 2, snapshotDeadline: 5, stateSaveWait: 1, terminateWait: 2 },
    });
  });

  it('reads what a module was generated with', async () => {
    const dir = await moduleWith({ taskIdSource: 'variable', snapshot: { messageCount: 5, payloadLimitBytes: 4096 }, timeouts: { snapshotDeadlineSeconds: 7 }, defaults: { taskLogSnapshot: false } });
    expect(await readModuleFacts(dir)).toMatchObject({
      messageCount: 5,
      payloadLimitBytes: 4096,
      taskIdSource: 'variable',
      snapshotDefault: false,
      timeouts: { snapshotDeadline: 7 },
    });
  });

  it('rejects a directory that is not a generated module, naming what is missing', () => {
    const result = runCli(['conformance', '--module', 'test', '--shells', 'dash']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Error: --module: .*test\/main\.tf does not exist$/m);
  });
});

const SCENARIOS = ['happy-path', 'snapshot-default', 'not-a-task', 'huge-conversation', 'oversize-conversation', 'task-id-variable', 'bogus-task-id-variable'];

describe.skipIf(!hasCommand('dash') || !hasCommand('curl'))('conformance --module honours the module\'s config (needs dash, curl)', () => {
  const run = async (moduleDir: string) =>
    runConformance({ scenarios: SCENARIOS.map(scenarioByName), shells: [shellByName('dash')], toolboxes: ['full'], moduleDir, concurrency: 4 });
  const failuresOf = (report: Awaited<ReturnType<typeof run>>) => report.results.filter((result) => !result.passed).map((result) => `${result.scenario}: ${result.failures.join('; ')}`);

  it('messageCount 5: the last 5 are expected; the var.task_id scenarios are skipped by name', async () => {
    const report = await run(await moduleWith({ snapshot: { messageCount: 5 } }));
    expect(failuresOf(report)).toEqual([]);
    const skipped = report.results.filter((result) => result.skipped !== undefined);
    expect(skipped.map((result) => [result.scenario, result.skipped])).toEqual([
      ['task-id-variable', 'needs a module generated with taskIdSource = "variable"'],
      ['bogus-task-id-variable', 'needs a module generated with taskIdSource = "variable"'],
    ]);
    const stored = report.results.find((result) => result.scenario === 'happy-path')?.snapshot?.data as { messages: unknown[] };
    expect(stored.messages).toHaveLength(5);
  });

  it('taskIdSource "variable" with the snapshot off by default: var.task_id carries the task, the snapshot is turned on, the default is honoured', async () => {
    const report = await run(await moduleWith({ taskIdSource: 'variable', defaults: { taskLogSnapshot: false } }));
    expect(failuresOf(report)).toEqual([]);
    expect(report.skipped).toBe(0);
    const byDefault = report.results.find((result) => result.scenario === 'snapshot-default');
    expect(byDefault?.output).toContain('Log snapshot disabled, skipping');
    expect(report.results.find((result) => result.scenario === 'happy-path')?.requests.coderd).toHaveLength(1);
  });
});
