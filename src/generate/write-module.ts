import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { GeneratedFile } from './render-module.ts';

export interface DriftReport {
  missing: string[];
  stale: string[];
  /** Files in the output directory that no template produces any more. */
  unexpected: string[];
}

/** Writes the files atomically (temp file + rename) so an interrupted run never leaves half a file. */
export async function writeModule(outDir: string, files: GeneratedFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(outDir, file.path);
    if (await isCurrent(target, file)) continue;
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    await writeFile(temp, file.content, { mode: file.mode });
    await chmod(temp, file.mode);
    await rename(temp, target);
    written.push(file.path);
  }
  return written;
}

/** Compares the output directory with what the templates render, writing nothing. */
export async function checkModule(outDir: string, files: GeneratedFile[]): Promise<DriftReport> {
  const report: DriftReport = { missing: [], stale: [], unexpected: [] };
  for (const file of files) {
    const state = await fileState(join(outDir, file.path), file);
    if (state === 'missing') report.missing.push(file.path);
    if (state === 'stale') report.stale.push(file.path);
  }
  const expected = new Set(files.map((file) => file.path));
  report.unexpected = (await listFiles(outDir)).filter((path) => !expected.has(path));
  return report;
}

export function hasDrift(report: DriftReport): boolean {
  return report.missing.length + report.stale.length + report.unexpected.length > 0;
}

async function isCurrent(target: string, file: GeneratedFile): Promise<boolean> {
  return (await fileState(target, file)) === 'current';
}

async function fileState(target: string, file: GeneratedFile): Promise<'missing' | 'stale' | 'current'> {
  let content: string;
  let mode: number;
  try {
    content = await readFile(target, 'utf8');
    mode = (await stat(target)).mode & 0o777;
  } catch {
    return 'missing';
  }
  // Only the executable bit is compared: git records nothing finer, so a clone's umask must not matter.
  const executableMatches = Boolean(mode & 0o100) === Boolean(file.mode & 0o100);
  return content === file.content && executableMatches ? 'current' : 'stale';
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
      .sort();
  } catch {
    return [];
  }
}
