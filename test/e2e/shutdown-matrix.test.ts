/**
 * The shutdown scenarios through the real coder_script body rendered from modules/agentapi/main.tf,
 * against the mock AgentAPI and coderd.
 *
 * By default (npm test): a covering set, every scenario under two different shells and every
 * shell under every toolbox (coveringCells), so the suite stays within its time budget. With
 * AGENTAPI_KIT_FULL_MATRIX=1 (its own step in .ci/run): every scenario under every installed shell
 * and toolbox.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TOOLBOXES } from '../../src/agent-simulation/run-script.ts';
import { SCENARIOS } from '../../src/conformance/scenarios.ts';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { missingTools, needsSuffix, scenarioTools } from '../support/needs.ts';
import { coveringCells, E2E_TEST_TIMEOUT_MS, explain, fullCells, scenarioRuns } from '../support/matrix.ts';

const FULL = process.env.AGENTAPI_KIT_FULL_MATRIX === '1';
const shells = SHELLS.filter((shell) => shell.available);
const toolboxes = TOOLBOXES.filter((toolbox) => toolbox !== 'busybox' || hasCommand('busybox'));
const cells = FULL ? fullCells(SCENARIOS, shells, toolboxes) : coveringCells(SCENARIOS, shells, toolboxes);
const missingFor = (cell: (typeof cells)[number]) => missingTools(scenarioTools(cell.scenario, cell.toolbox));
const runs = scenarioRuns();

beforeAll(() => {
  // Start every run now; the pool keeps the order, so each test mostly finds its run done.
  for (const cell of cells) if (missingFor(cell).length === 0) void runs.start(cell.scenario, cell.shell, cell.toolbox);
});

for (const shell of SHELLS.filter((candidate) => !candidate.available)) {
  it.skip(`shell ${shell.name}: ${shell.argv[0]} is not installed`, () => undefined);
}
if (!hasCommand('busybox')) it.skip('busybox toolbox: busybox is not installed', () => undefined);

describe(FULL ? 'full matrix (AGENTAPI_KIT_FULL_MATRIX=1)' : 'covering set: every scenario twice, every shell under every toolbox', () => {
  for (const cell of cells) {
    const missing = missingFor(cell);
    it.skipIf(missing.length > 0)(
      `[${cell.toolbox}] ${cell.shell.name}: ${cell.scenario.name}${needsSuffix(missing)}`,
      async () => {
        const result = await runs.get(cell.scenario, cell.shell, cell.toolbox);
        expect(result.failures, explain(result)).toEqual([]);
      },
      E2E_TEST_TIMEOUT_MS,
    );
  }
});
