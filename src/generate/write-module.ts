import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { GENERATED_NOTICE_PREFIX } from './mark-generated.ts';
import type { GeneratedFile } from './render-module.ts';

export interface DriftReport {
  missing: string[];
  stale: string[];
  /** Files in the output directory that no template produces any more. */
  unexpected: string[];
}

export interface WriteReport {
  written: string[];
  /** Generated files that no template produces any more, deleted. */
  removed: string[];
  /** Other files in the output directory, left alone: `--check` reports them until someone moves them. */
  foreign: string[];
}

/**
 * Brings the output directory in line with the templates. Files are written atomically (temp file +
 * rename) so an interrupted run never leaves half a file. A file no template produces is deleted only
 * when it carries our generated notice: anything else in the directory is somebody's own work.
 */
export async function syncModule(outDir: string, files: GeneratedFile[]): Promise<WriteReport> {
  const written = await writeModule(outDir, files);
  const report: WriteReport = { written, removed: [], foreign: [] };
  for (const path of await unexpectedFiles(outDir, files)) {
    const target = join(outDir, path);
    if (await isGeneratedFile(target)) {
      await unlink(target);
      report.removed.push(path);
    } else {
      report.foreign.push(path);
    }
  }
  return report;
}

/** Writes the files that differ, atomically; leaves every other file alone. */
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
  report.unexpected = await unexpectedFiles(outDir, files);
  return report;
}

async function unexpectedFiles(outDir: string, files: GeneratedFile[]): Promise<string[]> {
  const expected = new Set(files.map((file) => file.path));
  return (await listFiles(outDir)).filter((path) => !expected.has(path));
}

async function isGeneratedFile(path: string): Promise<boolean> {
  try {
    // The notice sits in the first lines (after a shebang or front matter); 4 KiB is plenty.
    return (await readFile(path, 'utf8')).slice(0, 4096).includes(GENERATED_NOTICE_PREFIX);
  } catch {
    return false;
  }
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
