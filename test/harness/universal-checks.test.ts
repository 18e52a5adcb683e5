import { describe, expect, it } from 'vitest';
import type { ModuleFacts } from '../../src/conformance/module-facts.ts';
import { promiseOf } from '../../src/conformance/promises.ts';
import { SCENARIOS } from '../../src/conformance/scenarios.ts';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import { TOOLBOXES } from '../../src/agent-simulation/run-script.ts';
import { LOG_LINES, type LogLineName, renderLogLine, logLinePlaceholders } from '../../src/contract/log-lines.ts';
import { shellErrors, shellErrorsOnStdout, TIME_MARGIN_MS, timeBoundMs } from '../../src/conformance/universal-checks.ts';
import { coveringCells } from '../support/matrix.ts';

const facts: ModuleFacts = {
  messageCount: 10,
  payloadLimitBytes: 65536,
  taskIdSource: 'data-source',
  snapshotDefault: true,
  timeouts: { fetch: 2, post: 2, snapshotDeadline: 5, stateSaveWait: 1, terminateWait: 2 },
};

describe('shell errors', () => {
  it("finds each matrix shell's own error messages (as printed by dash, bash, BusyBox sh, mksh, yash, zsh, ksh and posh)", () => {
    const printed = [
      'dash: 1: [[: not found',
      'bash: line 1: nosuch: command not found',
      "yash: no such command `nosuch'",
      'dash: 1: eval: Syntax error: "then" unexpected',
      'sh: eval: line 0: syntax error: bad substitution',
      'E: mksh: ${x!y}: bad substitution',
      'bash: line 1: undefined_v: unbound variable',
      "yash: parameter `unset_v' is not set or has an empty value",
      'posh: unset_v: parameter null or not set',
      'zsh:1: bad math expression: operand expected at end of string',
      'ksh: eval: line 1: 1+: more tokens expected',
      'dash: 1: arithmetic expression: expecting primary: "1+"',
      'zsh:1: parse error near `then\'',
    ];
    expect(shellErrors(printed.join('\n'))).toEqual(printed);
  });

  it("leaves the script's own Error and Warning lines alone", () => {
    expect(shellErrors('Error: Log snapshot endpoint not found, unexpected status\nWarning: AgentAPI (pid 7) still running 2s after SIGTERM, sending SIGKILL\n')).toEqual([]);
  });
});

describe('shell errors on stdout', () => {
  it("finds each matrix shell's message for a missing command sent to stdout with 2>&1", () => {
    // As printed by `<shell> -c 'nosuch_xyz 2>&1' <name>` under each shell of the matrix.
    const printed = [
      'agentapi-shutdown.sh: 1: eval: nosuch_xyz: not found',
      'bash: line 1: nosuch_xyz: command not found',
      'x.sh: nosuch_xyz: not found',
      'E: x.sh: nosuch_xyz: inaccessible or not found',
      "yash: no such command `nosuch_xyz'",
      'zsh:1: command not found: nosuch_xyz',
      'sh: nosuch_xyz: not found',
    ];
    expect(shellErrorsOnStdout(['Shutting down AgentAPI', ...printed, 'Shutdown complete'].join('\n'))).toEqual(printed);
  });

  it("leaves the script's progress lines alone, even with a folder or version that reads like an error", () => {
    const values = (name: LogLineName) => Object.fromEntries(logLinePlaceholders(name).map((key) => [key, '42']));
    const logLines = (Object.keys(LOG_LINES) as LogLineName[]).map((name) => renderLogLine(name, values(name)));
    const progress = [
      ...logLines,
      'No AgentAPI PID file at /home/coder/not found: unexpected/agentapi.pid, not signalling AgentAPI',
      'AgentAPI (pid 7 from /tmp/syntax error/agentapi.pid) is not running',
      'AgentAPI v0.9.0-bad-substitution predates state persistence (v0.12.0), not sending SIGUSR1',
    ];
    expect(shellErrorsOnStdout(progress.join('\n'))).toEqual([]);
  });
});

describe('time bound', () => {
  it('is snapshot deadline + terminate wait + margin, plus the state-save wait only with persistence on', () => {
    expect(timeBoundMs({}, facts)).toBe(7000 + TIME_MARGIN_MS);
    expect(timeBoundMs({ enable_state_persistence: true }, facts)).toBe(8000 + TIME_MARGIN_MS);
  });

  it("takes the run's own variables over the module's defaults", () => {
    expect(timeBoundMs({ shutdown_snapshot_deadline: 1, shutdown_terminate_timeout: 0, enable_state_persistence: true, shutdown_state_save_wait: 3 }, facts)).toBe(4000 + TIME_MARGIN_MS);
    expect(timeBoundMs({}, { ...facts, timeouts: { ...facts.timeouts, snapshotDeadline: 30 } })).toBe(32_000 + TIME_MARGIN_MS);
  });
});

describe('promise names', () => {
  it('reads the promise a failure names', () => {
    expect(promiseOf('token-in-argv: curl was started with the agent token in its argv')).toBe('token-in-argv');
  });
});

describe('the covering set of the default npm test', () => {
  // Every count of installed shells from 2 to all nine: a machine with seven shells and 49
  // scenarios (a multiple of seven) must still give each scenario two different shells.
  const shellCounts = Array.from({ length: SHELLS.length - 1 }, (_, index) => index + 2);

  it.each(shellCounts)('with %i shells: every scenario under two different shells, every shell under every toolbox', (count) => {
    const shells = SHELLS.slice(0, count);
    const cells = coveringCells(SCENARIOS, shells, TOOLBOXES);
    for (const scenario of SCENARIOS) {
      const used = cells.filter((cell) => cell.scenario === scenario).map((cell) => cell.shell.name);
      expect(new Set(used).size, `${scenario.name} under ${used.join(', ')}`).toBe(2);
    }
    for (const shell of shells) for (const toolbox of TOOLBOXES) expect(cells.some((cell) => cell.shell === shell && cell.toolbox === toolbox), `${shell.name} ${toolbox}`).toBe(true);
  });

  it('with 7 shells and a scenario count that is a multiple of 7, still two different shells per scenario', () => {
    const scenarios = Array.from({ length: 49 }, (_, index) => ({ ...SCENARIOS[0]!, name: `s${index}` }));
    const cells = coveringCells(scenarios, SHELLS.slice(0, 7), TOOLBOXES);
    for (const scenario of scenarios) expect(new Set(cells.filter((cell) => cell.scenario === scenario).map((cell) => cell.shell.name)).size, scenario.name).toBe(2);
  });
});
