import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_LINES, type LogLineName, logLinePattern, logLinePlaceholders, renderLogLine } from '../../src/contract/log-lines.ts';
import { packageRoot } from '../../src/generate/paths.ts';

const names = Object.keys(LOG_LINES) as LogLineName[];

describe('log lines', () => {
  it('renders placeholders as the shell expressions given', () => {
    expect(renderLogLine('sigterm', { pid: '$_pid' })).toBe('Sending SIGTERM to AgentAPI (pid $_pid)');
  });

  it('refuses to render a line with a placeholder left empty', () => {
    expect(() => renderLogLine('retrieved', {})).toThrow(/needs a value for \{count\}/);
  });

  it('matches what the script prints, values filled in', () => {
    expect(logLinePattern('retrieved').test('Retrieved 25 messages for log snapshot')).toBe(true);
    expect(logLinePattern('retrieved').test('Retrieved messages for log snapshot')).toBe(false);
    expect(logLinePattern('sigterm').test('Sending SIGTERM to AgentAPI (pid 42)')).toBe(true);
  });

  it.each(names)('the rendered shutdown script prints %s', async (name) => {
    const script = await readFile(join(packageRoot, 'modules/agentapi/scripts/agentapi-shutdown.sh'), 'utf8');
    const shellValues = Object.fromEntries(logLinePlaceholders(name).map((key) => [key, '$x']));
    const printed = renderLogLine(name, shellValues).split('$x');
    // Each literal run of the line appears in the script as written, so the script and the harness cannot drift apart.
    for (const piece of printed) expect(script).toContain(piece);
  });
});
