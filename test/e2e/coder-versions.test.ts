/**
 * The stop script against the mock coderd acting as each Coder release the README's support
 * table names: what it logs and whether a snapshot is stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { conversation } from '../../src/conformance/conversations.ts';
import { ERROR_LINE, LOG } from '../../src/conformance/expectations.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { E2E_TEST_TIMEOUT_MS, explain, scenarioRuns } from '../support/matrix.ts';

const runs = scenarioRuns();
const dash = shellByName('dash');
const messages = conversation(['first', 'second', 'third']);

interface VersionCase {
  version: string;
  enableAiTasks?: boolean;
  stored: boolean;
}

const CASES: VersionCase[] = [
  { version: 'v2.29.8', stored: false },
  { version: 'v2.30.0', stored: true },
  { version: 'v2.34.5', stored: true },
  { version: 'v2.36.3', stored: true },
  { version: 'v2.37.0', stored: false },
  { version: 'v2.37.0', enableAiTasks: true, stored: true },
  { version: 'v2.38.5', stored: false },
];

const title = (c: VersionCase) => `${c.version}${c.enableAiTasks ? ' with CODER_ENABLE_AI_TASKS' : ''}`;

function scenarioFor(c: VersionCase): Scenario {
  const stored = ({ snapshot }: { snapshot: unknown }) => (snapshot === undefined ? ['nothing stored'] : []);
  const notStored = ({ snapshot }: { snapshot: unknown }) => (snapshot === undefined ? [] : ['a snapshot was stored']);
  return {
    name: `coder ${title(c)}`,
    short: 'v',
    description: title(c),
    agentapi: { messages },
    coderd: { coderVersion: c.version, enableAiTasks: c.enableAiTasks },
    expect: c.stored
      ? { present: [LOG.posted, LOG.complete], absent: [LOG.notSupported, ERROR_LINE], coderdPosts: 1, checks: [stored] }
      : { present: [LOG.notSupported, LOG.routeMissing, LOG.complete], absent: [LOG.posted, LOG.captureFailed, ERROR_LINE], coderdPosts: 1, checks: [notStored] },
  };
}

describe.skipIf(!hasCommand('dash') || !hasCommand('curl'))('the stop script against each Coder version (needs dash, curl)', () => {
  const scenarios = new Map(CASES.map((c) => [title(c), scenarioFor(c)]));
  beforeAll(() => {
    for (const scenario of scenarios.values()) void runs.start(scenario, dash, 'full');
  });

  it.each(CASES.map((c) => [title(c), c] as const))(
    '%s',
    async (name) => {
      const result = await runs.get(scenarios.get(name) as Scenario, dash, 'full');
      expect(result.failures, explain(result)).toEqual([]);
      // the script never fails the stop: exit 0 whether the route is there or not
      expect(result.exitCode).toBe(0);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
