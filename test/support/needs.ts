/**
 * What a test needs installed, so a test whose tool is missing skips with a reason naming the tool
 * (test/support/hide-tools.sh runs the suite as a machine with only Node would).
 */
import type { Toolbox } from '../../src/agent-simulation/run-script.ts';
import type { Scenario } from '../../src/conformance/scenario-types.ts';
import { hasCommand } from './commands.ts';

const found = new Map<string, boolean>();

/** The names in `tools` that do not resolve on PATH (each looked up once per test process). */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((tool) => {
    let has = found.get(tool);
    if (has === undefined) {
      has = hasCommand(tool);
      found.set(tool, has);
    }
    return !has;
  });
}

/** ` (needs a, b)` for a test name, or '' when `tools` is empty. */
export function needsSuffix(tools: readonly string[]): string {
  return tools.length === 0 ? '' : ` (needs ${tools.join(', ')})`;
}

/**
 * The tools a scenario run needs besides its shell: the busybox toolbox needs busybox (its wget
 * is the client); elsewhere the script's HTTP client, curl, or GNU wget where the scenario forces
 * wget; a scenario that takes both clients away needs neither.
 */
export function scenarioTools(scenario: Scenario, toolbox: Toolbox): string[] {
  if (toolbox === 'busybox') return ['busybox'];
  const hidden = scenario.withoutTools ?? [];
  if (hidden.includes('curl') && hidden.includes('wget')) return [];
  return [scenario.env?.AGENTAPI_KIT_HTTP_CLIENT === 'wget' ? 'wget' : 'curl'];
}
