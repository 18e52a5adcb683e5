/**
 * The shutdown script's JSON engines are programs of their own (templates/agentapi/programs/),
 * checked by their own tools: jq compiles each jq program as the script composes it (the contract
 * prelude, the shared definitions, the program), and mawk, gawk --posix and BusyBox awk each parse
 * and run the awk program file on an empty body. A broken copy of each fails the same check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { templatesRoot } from '../../src/generate/paths.ts';
import { findOnPath } from '../../src/agent-simulation/shells.ts';

const PROGRAMS = join(templatesRoot, 'agentapi/programs');
const SCRIPT = join(import.meta.dirname, '../../modules/agentapi/scripts/agentapi-shutdown.sh');
const scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-programs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A shell variable of the rendered script, read by sourcing it (the script's source-only mode). */
function scriptVariable(name: string): string {
  const result = spawnSync('sh', ['-c', `. "$1" && printf %s "$${name}"`, 'sh', SCRIPT], { env: { ...process.env, AGENTAPI_KIT_SOURCE_ONLY: '1' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sourcing the script failed: ${result.stderr}`);
  return result.stdout;
}

/** jq's verdict on a program: exit 3 and "compile error" when it does not compile. */
function jqCompile(program: string): { status: number | null; stderr: string } {
  const file = join(scratch, 'program.jq');
  writeFileSync(file, program);
  const result = spawnSync('jq', ['-n', '--argjson', 'count', '1', '--argjson', 'limit', '1024', '--arg', 'window', '', '-f', file], { encoding: 'utf8', input: '' });
  return { status: result.status, stderr: result.stderr };
}

const HAS_JQ = findOnPath('jq') !== undefined;

describe.skipIf(!HAS_JQ)('the jq programs compile with jq (needs jq)', () => {
  const defs = scriptVariable('SNAPSHOT_JQ_DEFS');

  it('the script inlines the program files, headers left out', () => {
    expect(scriptVariable('SNAPSHOT_JQ_PROGRAM')).toBe(`${defs}\n${programBody('snapshot.jq')}\n`);
    expect(scriptVariable('SNAPSHOT_JQ_WINDOW_PROGRAM')).toBe(`${defs}\n${programBody('snapshot-window.jq')}\n`);
    expect(defs).toContain(programBody('snapshot-defs.jq'));
  });

  it.each(['snapshot.jq', 'snapshot-window.jq'])('%s, after the shared definitions and the contract prelude', (name) => {
    const verdict = jqCompile(`${defs}\n${readFileSync(join(PROGRAMS, name), 'utf8')}`);
    expect(verdict.stderr).not.toMatch(/compile error/);
    expect(verdict.status).not.toBe(3);
  });

  it('a program with a syntax error fails the same check', () => {
    const verdict = jqCompile(`${defs}\ndef broken(: 1;\n${readFileSync(join(PROGRAMS, 'snapshot.jq'), 'utf8')}`);
    expect(verdict.status).toBe(3);
    expect(verdict.stderr).toMatch(/compile error/);
  });
});

const AWKS = [
  { name: 'mawk', argv: ['mawk'] },
  { name: 'gawk --posix', argv: ['gawk', '--posix'] },
  { name: 'busybox awk', argv: ['busybox', 'awk'] },
].map((awk) => ({ ...awk, available: findOnPath(awk.argv[0]!) !== undefined }));

/** An awk's verdict on a program file, run on an empty body with the script's variables. */
function awkRun(argv: readonly string[], file: string): { status: number | null; stderr: string } {
  const [command, ...rest] = argv as [string, ...string[]];
  const result = spawnSync(command, [...rest, '-v', 'count=10', '-v', 'limit=65536', '-v', 'meta_file=/dev/null', '-v', 'body_bytes=', '-f', file], { input: '', encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return { status: result.status, stderr: result.stderr };
}

describe.each(AWKS)('the awk program parses and runs under $name', ({ name, argv, available }) => {
  it.skipIf(!available)(`snapshot.awk, as a file of its own (needs ${argv[0]})`, () => {
    const verdict = awkRun(argv, join(PROGRAMS, 'snapshot.awk'));
    expect(verdict.stderr).toBe('');
    expect(verdict.status).toBe(0);
  });

  it.skipIf(!available)(`a copy with a syntax error fails the same check (needs ${argv[0]})`, () => {
    const broken = join(scratch, `broken-${name.replace(/\W+/g, '-')}.awk`);
    writeFileSync(broken, `${readFileSync(join(PROGRAMS, 'snapshot.awk'), 'utf8')}\nfunction broken( { }\n`);
    expect(awkRun(argv, broken).status).not.toBe(0);
  });
});

/** A program file as the script inlines it: without its leading comment block. */
function programBody(name: string): string {
  const lines = readFileSync(join(PROGRAMS, name), 'utf8').split('\n');
  return lines.slice(lines.findIndex((line) => !line.startsWith('#'))).join('\n').replace(/\n+$/, '');
}
