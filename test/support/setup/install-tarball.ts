/**
 * Global setup of `npm run test:package`: the package as users get it. `npm pack` (which runs the
 * `prepare` build), then a new, empty project in the system's temporary directory, outside this
 * repository, and `npm install --omit=dev <tarball>` there: production dependencies only, from the
 * npm registry (--prefer-offline: the local npm cache first). The tests run the installed bin and
 * import the installed library from that project.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const REPO = resolve(import.meta.dirname, '../../..');

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  /** The installed project's directory (a package.json and node_modules/, nothing else). */
  project: string;
  tarball: string;
  /** Bytes of the .tgz, and of the files it holds. */
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Packed;
  }
}

/** PATH without this repository's node_modules/.bin (npm run puts it first): the project's own tools only. */
export function userPath(path = process.env.PATH ?? ''): string {
  return path
    .split(':')
    .filter((entry) => entry !== '' && !resolve(entry).startsWith(`${REPO}/`))
    .join(':');
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, PATH: userPath(), npm_config_update_notifier: 'false' }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** `npm pack --json` prints the prepare script's output first, then the JSON array. */
function packReport(stdout: string): Omit<Packed, 'project' | 'tarball'> {
  const json = stdout.slice(stdout.search(/^\[/m));
  const [report] = JSON.parse(json) as Array<{ size: number; unpackedSize: number; files: PackedFile[] }>;
  if (report === undefined) throw new Error(`npm pack printed no report:\n${stdout}`);
  return { size: report.size, unpackedSize: report.unpackedSize, files: report.files.map(({ path, size }) => ({ path, size })) };
}

export default function installTarball(project: TestProject): () => void {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'agentapi-kit-package-')));
  if (!relative(REPO, work).startsWith('..')) throw new Error(`the temporary project ${work} must be outside the repository ${REPO}`);
  const report = packReport(run('npm', ['pack', '--json', '--pack-destination', work], REPO));
  const tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz')) as string);
  const dir = join(work, 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'a-user-project', version: '1.0.0', private: true }, null, 2)}\n`);
  run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], dir);
  project.provide('packed', { project: dir, tarball, ...report });
  process.stdout.write(`agentapi-kit package: ${tarball}: ${report.files.length} files, ${(report.size / 1024).toFixed(0)} KiB packed, ${(report.unpackedSize / 1024).toFixed(0)} KiB unpacked; installed in ${dir}\n`);
  return () => rmSync(work, { recursive: true, force: true });
}
