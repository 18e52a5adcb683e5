/** test/support/hide-tools.sh: a command sees only Debian's base binaries and node, by PATH and by absolute path. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand } from '../support/commands.ts';

const SCRIPT = resolve(import.meta.dirname, '../support/hide-tools.sh');
const hide = (...args: string[]) => spawnSync(SCRIPT, args, { encoding: 'utf8' });
const canHide = hasCommand('unshare') && hasCommand('dpkg-query') && spawnSync('unshare', ['--mount', 'true']).status === 0;

describe.skipIf(!canHide)('hide-tools.sh (needs unshare, dpkg-query and a mount namespace)', () => {
  it('keeps the base tools and node, with dash as sh and mawk as awk', () => {
    const result = hide('sh', '-c', 'for tool in sh bash awk sed grep tar node npm; do command -v "$tool" >/dev/null || echo "missing $tool"; done; cmp -s "$(command -v sh)" "$(command -v dash)" && echo sh-is-dash; awk -W version 2>&1 | head -n 1');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('missing');
    expect(result.stdout).toContain('sh-is-dash\n');
    expect(result.stdout).toMatch(/^mawk/m);
  });

  it.skipIf(!hasCommand('curl') || !existsSync('/usr/bin/curl'))('hides a tool that is installed, from PATH and at its absolute path (needs curl in /usr/bin)', () => {
    const result = hide('sh', '-c', 'command -v curl; test -e /usr/bin/curl && echo still-there; echo done');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('done\n');
  });

  it('changes nothing outside the command', () => {
    const before = readdirSync('/usr/bin').length;
    const inside = Number(hide('sh', '-c', 'ls /usr/bin | wc -l').stdout.trim());
    expect(inside).toBeGreaterThan(0);
    expect(readdirSync('/usr/bin').length).toBe(before);
    expect(inside).toBeLessThanOrEqual(before);
  });

  it('passes the exit status through and says how to use it without a command', () => {
    expect(hide('sh', '-c', 'exit 7').status).toBe(7);
    const bare = hide();
    expect(bare.status).toBe(2);
    expect(bare.stderr).toBe('Error: usage: test/support/hide-tools.sh --list | COMMAND [ARG...]\n');
  });
});
