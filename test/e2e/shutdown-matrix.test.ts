/**
 * Every scenario under every installed shell and toolbox, through the real coder_script body
 * rendered from modules/agentapi/main.tf, against the mock AgentAPI and coderd.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TOOLBOXES } from '../../src/harness/run-script.ts';
import { SCENARIOS } from '../../src/harness/scenarios.ts';
import { SHELLS } from '../../src/harness/shells.ts';
import { hasCommand } from '../helpers/commands.ts';
import { E2E_TEST_TIMEOUT_MS, explain, scenarioRuns } from './matrix.ts';

const shells = SHELLS.filter((shell) => shell.available);
const toolboxes = TOOLBOXES.filter((toolbox) => toolbox !== 'busybox' || hasCommand('busybox'));
const runs = scenarioRuns();

beforeAll(() => {
  // Start every run now; the pool keeps the order, so each test mostly finds its run done.
  for (const toolbox of toolboxes) for (const shell of shells) for (const scenario of SCENARIOS) void runs.start(scenario, shell, toolbox);
});

for (const shell of SHELLS.filter((candidate) => !candidate.available)) {
  it.skip(`shell ${shell.name}: ${shell.argv[0]} is not installed`, () => undefined);
}
if (!hasCommand('busybox')) it.skip('busybox toolbox: busybox is not installed', () => undefined);

describe.each(toolboxes)('toolbox %s', (toolbox) => {
  describe.each(shells.map((shell) => [shell.name, shell] as const))('shell %s', (_name, shell) => {
    it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
      '%s',
      async (_scenario, scenario) => {
        const result = await runs.get(scenario, shell, toolbox);
        expect(result.failures, explain(result)).toEqual([]);
      },
      E2E_TEST_TIMEOUT_MS,
    );
  });
});
