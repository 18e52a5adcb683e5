/**
 * Toolboxes made of argv-recording shims: for every tool a toolbox offers, a tiny sh script of the
 * same name that appends its argv to $CONFORMANCE_ARGV_LOG and then `exec`s the real tool. Every
 * external command the shutdown script starts through PATH goes through one, however short-lived,
 * so the harness can prove the agent token never reached a command line (which any process can
 * read in /proc/PID/cmdline). Sampling /proc instead would miss a curl that lives a millisecond.
 * Builtins need no shim: their arguments never reach /proc (printf is external in mksh and posh,
 * and then it is shimmed like any other tool).
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable naming the file shims append to (unset: they only exec). */
export const ARGV_LOG_ENV = 'CONFORMANCE_ARGV_LOG';

/** A tool a shim stands in for: its name on PATH, the executable, and arguments put first (a BusyBox applet name). */
export interface ShimTarget {
  name: string;
  path: string;
  prefix?: string[];
}

/** One command the script started: the tool's name and its arguments joined by spaces. */
export interface RecordedCommand {
  name: string;
  argv: string;
}

/** ASCII record separator: ends each logged command, so multi-line arguments (jq and awk programs) stay whole. */
const RECORD_END = '\u001e';

function shimScript(target: ShimTarget): string {
  const words = [target.path, ...(target.prefix ?? [])].map(shellQuote).join(' ');
  return [
    '#!/bin/sh',
    '# agentapi-kit conformance: records this command line, then runs the real tool.',
    `[ -z "\${${ARGV_LOG_ENV}:-}" ] || printf '%s\\036' ${shellQuote(target.name)}" $*" >>"$${ARGV_LOG_ENV}"`,
    `exec ${words} "$@"`,
    '',
  ].join('\n');
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A bin dir of shims for `targets`, under the temp dir and named after a hash of its content, so
 * every process shares one and nothing is left behind per run. Built in a staging dir and renamed
 * into place, so a concurrent builder never sees half a toolbox.
 */
export function buildShimDir(label: string, targets: readonly ShimTarget[]): string {
  const usable = targets.filter((target) => target.name !== '' && !/[/'\n]/.test(target.name));
  const scripts = usable.map((target) => [target.name, shimScript(target)] as const);
  // The hash covers the shims' text, so a changed shim never reuses an old toolbox.
  const digest = createHash('sha256').update(JSON.stringify(scripts)).digest('hex').slice(0, 16);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = join(tmpdir(), `agentapi-kit-toolbox-${label}-${uid}-${digest}`);
  const bin = join(dir, 'bin');
  if (existsSync(bin)) return bin;
  const staging = mkdtempSync(join(tmpdir(), 'agentapi-kit-toolbox-staging-'));
  try {
    mkdirSync(join(staging, 'bin'));
    for (const [name, script] of scripts) {
      const file = join(staging, 'bin', name);
      writeFileSync(file, script);
      chmodSync(file, 0o755);
    }
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process won the race: its toolbox is identical.
    if (!existsSync(bin)) throw error;
  }
  return bin;
}

/** The commands a run's shims logged, in order. */
export function readArgvLog(file: string): RecordedCommand[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split(RECORD_END)
    .filter((record) => record !== '')
    .map((record) => {
      const space = record.indexOf(' ');
      return { name: record.slice(0, space), argv: record.slice(space + 1) };
    });
}
