/**
 * A shell error in a script must reach the Coder agent's log under the script's name, not behind
 * the base64 payload the body carries : the body gives /bin/sh the file name as `$0`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { handOffArgv } from '../../src/contract/hand-off.ts';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody, SCRIPT_FILES } from '../../src/agent-simulation/coder-script.ts';
import { commandLine } from '../../src/agent-simulation/run-script.ts';
import { LOGIN_SHELLS, SHELLS, SYSTEM_PATH } from '../../src/agent-simulation/shells.ts';

const SCRIPT = SCRIPT_FILES.agentapi_shutdown;
const NAME = 'agentapi-shutdown.sh';
const GUARD = '[ "${AGENTAPI_KIT_SOURCE_ONLY:-}" = 1 ] || main "$@"';

/** The real shutdown script with its last line (the call of main) replaced by a syntax error. */
function brokenScript(): string {
  const script = readFileSync(join(DEFAULT_MODULE_DIR, SCRIPT), 'utf8');
  if (!script.trimEnd().endsWith(GUARD)) throw new Error(`${SCRIPT} no longer ends with the main guard`);
  return `${script.trimEnd().slice(0, -GUARD.length)}fi\n`;
}

/** /bin/sh replacements whose diagnostics start with `$0`; zsh and yash print their own name instead. */
const NAMING_SHELLS = new Set(['dash', 'bash', 'bash-posix', 'busybox', 'ksh', 'posh']);

let body: string;
let payload: string;

beforeAll(async () => {
  body = await renderCoderScriptBody({
    moduleDir: DEFAULT_MODULE_DIR,
    resource: 'agentapi_shutdown',
    variables: { ...EXAMPLE_REQUIRED_VARIABLES },
    files: { [SCRIPT]: brokenScript() },
  });
  payload = handOffArgv(body).at(-1) ?? '';
});

function stderrOf(argv: string[]): string {
  const [bin, ...args] = argv;
  const result = spawnSync(bin ?? '', args, { encoding: 'utf8', env: { PATH: SYSTEM_PATH, HOME: '/nonexistent' }, timeout: 10_000 });
  return result.stderr;
}

describe('a syntax error in a script, through the coder_script body', () => {
  it('is carried as a payload big enough that printing it would drown the log', () => {
    expect(payload.length).toBeGreaterThan(16384);
  });

  for (const shell of LOGIN_SHELLS) {
    it.skipIf(!shell.available)(`reads "${NAME}: <line>: ..." from /bin/sh under login shell ${shell.name}, without the payload (needs ${shell.argv[0]})`, () => {
      const stderr = stderrOf(commandLine(body, `login:${shell.name}`));
      expect(stderr.startsWith(`${NAME}: `), stderr.slice(0, 300)).toBe(true);
      expect(stderr).toMatch(/syntax error/i);
      expect(stderr).not.toContain(payload.slice(0, 64));
      expect(stderr.length).toBeLessThan(1000);
    });
  }

  for (const shell of SHELLS) {
    it.skipIf(!shell.available)(`keeps the payload out of the diagnostics where /bin/sh is ${shell.name} (needs ${shell.argv[0]})`, () => {
      const stderr = stderrOf(commandLine(body, shell));
      expect(stderr).not.toBe('');
      expect(stderr).not.toContain(payload.slice(0, 64));
      if (NAMING_SHELLS.has(shell.name)) expect(stderr.startsWith(`${NAME}: `), stderr.slice(0, 300)).toBe(true);
    });
  }
});
