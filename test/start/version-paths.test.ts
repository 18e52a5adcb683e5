/**
 * The shared helpers (partials version.sh and paths.sh, as rendered into the start script) under
 * every shell of the matrix: the script is sourced with AGENTAPI_KIT_SOURCE_ONLY=1 and each case
 * prints its result, so one shell process checks the whole table.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR } from '../../src/agent-simulation/coder-script.ts';
import { absoluteArgv, SHELLS } from '../../src/agent-simulation/shells.ts';

const START_SCRIPT = join(DEFAULT_MODULE_DIR, 'scripts', 'agentapi-start.sh');

/** [version, minimum, expected: version_at_least succeeds] */
const VERSION_CASES: Array<[string, string, boolean]> = [
  ['v0.12.0', 'v0.12.0', true],
  ['0.12.0', 'v0.12.0', true],
  ['v0.12.1', '0.12.0', true],
  ['v0.11.9', 'v0.12.0', false],
  ['0.11.0', 'v0.12.0', false],
  ['v1.0.0', 'v0.12.0', true],
  ['v0.9.0', 'v0.12.0', false],
  ['v0.100.0', 'v0.12.0', true],
  ['v0.12.0-rc.1', 'v0.12.0', true],
  ['v0.11.0+build.7', 'v0.12.0', false],
  ['v0.012.000', 'v0.12.0', true],
  ['v0.08.9', 'v0.9.0', false],
  ['v10.0.0', 'v9.99.99', true],
  ['v99999999999999999999.0.0', 'v99999999999999999998.9.9', true],
  ['v1.2.3', 'v1.2.4', false],
  // Not semver-like: passes.
  ['latest', 'v0.12.0', true],
  ['', 'v0.12.0', true],
  ['main', 'v0.12.0', true],
  ['v0.12', 'v0.12.0', true],
  ['v0.11.0.1', 'v0.12.0', true],
  ['v0.x.0', 'v0.12.0', true],
  ['0.11.0', 'latest', true],
];

function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function checkScript(): string {
  const lines = [`AGENTAPI_KIT_SOURCE_ONLY=1`, `. ${shQuote(START_SCRIPT)}`];
  VERSION_CASES.forEach(([version, min], index) => {
    lines.push(`if version_at_least ${shQuote(version)} ${shQuote(min)}; then echo "v${index} yes"; else echo "v${index} no"; fi`);
  });
  lines.push(
    'HOME=/home/coder ARG_MODULE_DIR_NAME=.agentapi-module ARG_PID_FILE_PATH= ARG_STATE_FILE_PATH=',
    'resolve_pid_file; echo "pid $pid_file"',
    'resolve_state_file; echo "state $state_file"',
    'resolve_module_dir; echo "dir $module_dir"',
    'resolve_version_file; echo "version $version_file"',
    "ARG_PID_FILE_PATH='/tmp/a b/agentapi.pid' ARG_STATE_FILE_PATH='/tmp/a b/state.json'",
    'resolve_pid_file; echo "pid $pid_file"',
    'resolve_state_file; echo "state $state_file"',
  );
  return lines.join('\n');
}

const EXPECTED = [
  ...VERSION_CASES.map(([, , ok], index) => `v${index} ${ok ? 'yes' : 'no'}`),
  'pid /home/coder/.agentapi-module/agentapi.pid',
  'state /home/coder/.agentapi-module/agentapi-state.json',
  'dir /home/coder/.agentapi-module',
  'version /home/coder/.agentapi-module/agentapi.version',
  'pid /tmp/a b/agentapi.pid',
  'state /tmp/a b/state.json',
];

describe('version_at_least and the default paths', () => {
  for (const shell of SHELLS) {
    it.skipIf(!shell.available)(`give the expected answers under ${shell.name} (needs ${shell.argv[0]})`, () => {
      const [bin, ...args] = absoluteArgv(shell);
      // stdin closed and no HOME: bash reads ~/.bashrc when its stdin is a socket (node's default pipes).
      const result = spawnSync(bin as string, [...args, '-c', checkScript()], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(result.stderr).toBe('');
      expect(result.stdout.trimEnd().split('\n')).toEqual(EXPECTED);
      expect(result.status).toBe(0);
    });
  }
});
