/**
 * The Coder agent runs a body as `<login shell> -c '<body>'`. The body must reach /bin/sh intact
 * from each login shell, fish included (docs/architecture.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioByName } from '../../src/conformance/scenarios.ts';
import { LOGIN_SHELLS } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { E2E_TEST_TIMEOUT_MS, explain, scenarioRuns } from '../support/matrix.ts';

const runs = scenarioRuns();
const scenarios = ['happy-path', 'snapshot-disabled', 'multibyte'].map(scenarioByName);
const installed = LOGIN_SHELLS.filter((shell) => shell.available && hasCommand('curl'));

beforeAll(() => {
  for (const shell of installed) for (const scenario of scenarios) void runs.start(scenario, `login:${shell.name}`, 'full');
});

describe.each(LOGIN_SHELLS.map((shell) => [shell.name, shell] as const))('login shell %s', (name, shell) => {
  it.skipIf(!installed.includes(shell)).each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
    `%s through ${shell.argv.join(' ')} -c '<body>' (needs ${shell.argv[0]}, curl)`,
    async (_scenario, scenario) => {
      const result = await runs.get(scenario, `login:${name}`, 'full');
      expect(result.failures, explain(result)).toEqual([]);
      // The login shell only hands over: nothing it could complain about reaches the output.
      expect(result.output).not.toMatch(/syntax error|parse error|unknown command|Unsupported use of|fish:/i);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
