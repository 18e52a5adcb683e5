/**
 * Runs the rendered shutdown script's build_payload (sourced with AGENTAPI_KIT_SOURCE_ONLY=1)
 * under a chosen shell and JSON engine, for the property tests against src/snapshot/policy.ts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { absoluteArgv, findOnPath, SHELLS, type ShellSpec } from '../../src/agent-simulation/shells.ts';
import { expect } from 'vitest';
import { buildSnapshotPayload, STATUS_CODES, type SnapshotOptions, type SnapshotResult } from '../../src/snapshot/policy.ts';

export const SHUTDOWN_SCRIPT = resolve(import.meta.dirname, '../../modules/agentapi/scripts/agentapi-shutdown.sh');

/** A JSON engine as the script sees it: jq, or `awk` on PATH resolving to a given implementation. */
export interface EngineVariant {
  name: string;
  engine: 'jq' | 'awk';
  /** Directory put first on PATH so that `awk` is this implementation. */
  pathDir?: string;
  available: boolean;
  /** The tool a skipped test names. */
  needs: string;
}

let scratch: string | undefined;

function scratchDir(): string {
  if (scratch === undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-shutdown-test-'));
    const dir = scratch;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

function awkDir(name: string, make: (dir: string) => void): string {
  const dir = join(scratchDir(), `awk-${name}`);
  mkdirSync(dir, { recursive: true });
  make(dir);
  return dir;
}

/** jq, mawk, gawk --posix and BusyBox awk; `available` says whether this machine has each. */
export function engineVariants(): EngineVariant[] {
  const mawk = findOnPath('mawk');
  const gawk = findOnPath('gawk');
  const busybox = findOnPath('busybox');
  return [
    { name: 'jq', engine: 'jq', available: findOnPath('jq') !== undefined, needs: 'jq' },
    {
      name: 'mawk',
      engine: 'awk',
      available: mawk !== undefined,
      needs: 'mawk',
      pathDir: mawk === undefined ? undefined : awkDir('mawk', (dir) => link(mawk, join(dir, 'awk'))),
    },
    {
      name: 'gawk --posix',
      engine: 'awk',
      available: gawk !== undefined,
      needs: 'gawk',
      pathDir:
        gawk === undefined
          ? undefined
          : awkDir('gawk', (dir) => {
              writeFileSync(join(dir, 'awk'), `#!/bin/sh\nexec '${gawk}' --posix "$@"\n`);
              chmodSync(join(dir, 'awk'), 0o755);
            }),
    },
    {
      name: 'busybox awk',
      engine: 'awk',
      available: busybox !== undefined,
      needs: 'busybox',
      pathDir: busybox === undefined ? undefined : awkDir('busybox', (dir) => link(busybox, join(dir, 'awk'))),
    },
  ];
}

function link(target: string, path: string): void {
  try {
    symlinkSync(target, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The shells the property runs rotate through (the task names these four at least). */
export const PROPERTY_SHELLS: ShellSpec[] = ['dash', 'bash', 'busybox', 'mksh']
  .map((name) => SHELLS.find((shell) => shell.name === name))
  .filter((shell): shell is ShellSpec => shell !== undefined && shell.available);

export interface EngineRun {
  payload: string;
  /** The meta line, or '' when the engine wrote none. */
  meta: string;
  exitCode: number | null;
  stderr: string;
}

export interface RunOptions {
  messageCount: number;
  limitBytes: number;
}

const DRIVER = '. "$1" && SNAPSHOT_MESSAGE_COUNT=$3 && SNAPSHOT_LIMIT_BYTES=$4 && build_payload "$2"';

/** payload_for_file on a body file of known size, with a window of $5 bytes (the windowed path). */
const FILE_DRIVER =
  '. "$1" && SNAPSHOT_MESSAGE_COUNT=$3 && SNAPSHOT_LIMIT_BYTES=$4 && AGENTAPI_KIT_WINDOW_BYTES=$5 && _tmp_dir=$6 && _body_bytes=$7 && payload_for_file "$6/body" "$2"';

/** build_payload on `body` under `shell` with `variant`; the payload is decoded as UTF-8. */
export function runBuildPayload(body: string | Buffer, variant: EngineVariant, shell: ShellSpec, options: RunOptions): EngineRun {
  return runDriver(body, variant, shell, options, false);
}

/**
 * payload_for_file on `body` with a window of `windowBytes`: bodies larger than the window take
 * the windowed path (the body's start and its last bytes only), the others the whole-body one.
 */
export function runPayloadForFile(body: string | Buffer, variant: EngineVariant, shell: ShellSpec, options: RunOptions & { windowBytes: number }): EngineRun {
  return runDriver(body, variant, shell, options, true);
}

function runDriver(body: string | Buffer, variant: EngineVariant, shell: ShellSpec, options: RunOptions & { windowBytes?: number }, fromFile: boolean): EngineRun {
  const metaFile = join(scratchDir(), `meta-${process.pid}`);
  rmSync(metaFile, { force: true });
  const path = variant.pathDir === undefined ? process.env.PATH : `${variant.pathDir}:${process.env.PATH ?? ''}`;
  const counts = [String(options.messageCount), String(options.limitBytes)];
  let argv = [...absoluteArgv(shell), '-c', DRIVER, 'sh', SHUTDOWN_SCRIPT, metaFile, ...counts];
  if (fromFile) {
    const dir = join(scratchDir(), `file-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'body'), body);
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    argv = [...absoluteArgv(shell), '-c', FILE_DRIVER, 'sh', SHUTDOWN_SCRIPT, metaFile, ...counts, String(options.windowBytes ?? 0), dir, String(size)];
  }
  const result = spawnSync(argv[0]!, argv.slice(1), {
    input: fromFile ? '' : body,
    env: { ...process.env, PATH: path, AGENTAPI_KIT_SOURCE_ONLY: '1', AGENTAPI_KIT_JSON_ENGINE: variant.engine },
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  let meta = '';
  try {
    meta = readFileSync(metaFile, 'utf8');
  } catch {
    // no meta line: the engine failed before writing it
  }
  return { payload: result.stdout.toString('utf8'), meta, exitCode: result.status, stderr: result.stderr.toString('utf8') };
}

/** The meta line an engine must print for a reference result. */
export function expectedMeta(result: SnapshotResult): string {
  const bytes = Buffer.byteLength(result.payload, 'utf8');
  return `[${STATUS_CODES[result.status]},${result.total},${result.kept},${result.dropped},${result.truncated ? 1 : 0},${bytes}]`;
}

/**
 * The engine's output for `body` equals the reference, payload and meta line alike; with
 * `windowBytes`, through payload_for_file with a window of that many bytes.
 */
export function expectSame(body: string, variant: EngineVariant, shell: ShellSpec, options: SnapshotOptions & { windowBytes?: number }): void {
  const reference = buildSnapshotPayload(body, options);
  const run =
    options.windowBytes === undefined ? runBuildPayload(body, variant, shell, options) : runPayloadForFile(body, variant, shell, { ...options, windowBytes: options.windowBytes });
  const where = `${variant.name} under ${shell.name}${options.windowBytes === undefined ? '' : ` (window ${options.windowBytes} bytes)`}`;
  if (reference.status === 'not-json' && variant.engine === 'jq' && run.exitCode !== 0) {
    // jq's parser refuses it before the program runs: the script reads that as "not JSON" too.
    expect(run.meta, `${where}: jq's own error message`).toMatch(/error/i);
  } else {
    expect(run.exitCode, `${where} exit status (${run.stderr})`).toBe(0);
    expect(run.meta, `${where} meta line`).toBe(expectedMeta(reference));
  }
  expect(run.payload, `${where} payload`).toBe(reference.payload);
}

export type Encoding = 'compact' | 'pretty' | 'ascii-lower' | 'ascii-upper' | 'slash';

/** The same JSON value written the ways a server might: the engines must normalise all of them. */
export function encode(value: unknown, encoding: Encoding): string {
  const compact = JSON.stringify(value);
  switch (encoding) {
    case 'compact':
      return `${compact}\n`;
    case 'pretty':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'ascii-lower':
    case 'ascii-upper': {
      const hex = (char: string) => char.charCodeAt(0).toString(16).padStart(4, '0');
      const upper = encoding === 'ascii-upper';
      return compact.replace(/[\u007f-\uffff]/g, (char) => `\\u${upper ? hex(char).toUpperCase() : hex(char)}`);
    }
    case 'slash':
      return compact.replace(/\//g, '\\/');
  }
}
