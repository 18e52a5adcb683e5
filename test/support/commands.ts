import { spawnSync } from 'node:child_process';

/** True when `name` resolves on PATH; tests that need a tool skip with a reason naming it. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', name]).status === 0;
}
