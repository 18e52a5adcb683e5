/**
 * The two tiers of the suite. `npm test` runs the covering tier: every test case and every shell at
 * least once, within its time budget. CI runs the full tier of the per-shell and property files
 * as its own step (AGENTAPI_KIT_FULL_MATRIX=1, FULL_TIER_FILES): every test under every shell, and
 * more property runs.
 */
import { it, type TestFunction } from 'vitest';
import type { ShellSpec } from '../../src/agent-simulation/shells.ts';

export const FULL = process.env.AGENTAPI_KIT_FULL_MATRIX === '1';

/**
 * The files whose tests or runs change with the tier: CI's full step runs exactly these
 * (`.ci/run` prints this list with `node test/support/full-tier-files.mjs`). A test holds it equal
 * to the files that read FULL, propertyRuns or tieredIt.
 */
export { FULL_TIER_FILES } from './full-tier-files.mjs';

/** fast-check runs: `covering` in npm test, `full` in CI's full step. */
export function propertyRuns(covering: number, full: number): number {
  return FULL ? full : covering;
}

/**
 * For a file whose describe block repeats the same tests once per shell: whether the `index`-th test
 * (in the order the block declares them) runs under `shell`. The covering tier runs each test under
 * the reference shell and under one other shell, taking the others in turn, so with at least as
 * many tests as other shells every shell runs some of them. The full tier runs all of them.
 */
export function runsUnder(shell: ShellSpec, index: number, shells: readonly ShellSpec[], reference = 'dash'): boolean {
  if (FULL || shell.name === reference) return true;
  const others = shells.filter((candidate) => candidate.name !== reference);
  return others[index % others.length]?.name === shell.name;
}

/**
 * `it` for one shell's describe block: each call is the next test of the block, registered only when
 * runsUnder says so (a test the tier leaves out is not registered: nothing shows as skipped).
 */
export function tieredIt(shell: ShellSpec, shells: readonly ShellSpec[]): (name: string, fn: TestFunction, timeout?: number) => void {
  let index = 0;
  return (name, fn, timeout) => {
    const selected = runsUnder(shell, index, shells);
    index += 1;
    if (selected) it(name, fn, timeout);
  };
}
