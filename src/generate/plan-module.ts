import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { carriesNotice } from './mark-generated.ts';
import { templateLabel, type ModuleSpec } from './module-spec.ts';
import type { GeneratedFile } from './render-module.ts';

/** A file whose bytes or executable bit differ from what the templates render. */
export interface StaleFile {
  file: GeneratedFile;
  /** What is on disk now; undefined when it is not a regular file. */
  current: string | undefined;
  /** Only the executable bit differs. */
  modeOnly: boolean;
  /** It carries our notice for exactly this path, so `generate` may replace it without `--force`. */
  ours: boolean;
}

/**
 * What one module's output directory holds compared with what its templates render, read-only.
 * Only the directories some template writes to are looked at, one level each: `generate` never
 * descends anywhere else, so `--out` one level too high cannot reach another module's files.
 */
export interface ModulePlan {
  spec: ModuleSpec;
  /** Absolute output directory. */
  outDir: string;
  files: GeneratedFile[];
  missing: GeneratedFile[];
  stale: StaleFile[];
  /** Files generated earlier (notice for exactly their path) that no template produces any more. */
  obsolete: string[];
  /** Any other file in a directory templates write to: somebody's own work, never touched. */
  foreign: string[];
  /** Paths in the way even of `--force`: a directory where a file goes, a file where a directory goes. */
  blocked: string[];
}

/**
 * What Terraform leaves in a module directory when someone runs it there. Never ours, never
 * reported: `.terraform/` is a directory no template writes to, so it is not even listed.
 */
export function isTerraformArtifact(name: string): boolean {
  return name === '.terraform.lock.hcl' || name.startsWith('terraform.tfstate');
}

export async function planModule(spec: ModuleSpec, files: GeneratedFile[]): Promise<ModulePlan> {
  const outDir = resolve(spec.outDir);
  const plan: ModulePlan = { spec, outDir, files, missing: [], stale: [], obsolete: [], foreign: [], blocked: [] };
  for (const file of files) await classifyTarget(plan, file);
  const produced = new Set(files.map((file) => file.path));
  for (const dir of writtenDirs(files)) {
    const listing = await listDir(outDir, dir);
    if (listing === 'blocked') plan.blocked.push(dir === '' ? '.' : dir);
    else for (const path of listing) if (!produced.has(path)) await classifyLeftover(plan, path);
  }
  return plan;
}

/** Conflicts `--force` may override: files at template paths that do not carry our notice. */
export function conflicts(plan: ModulePlan): string[] {
  return plan.stale.filter((entry) => !entry.ours).map((entry) => entry.file.path);
}

async function classifyTarget(plan: ModulePlan, file: GeneratedFile): Promise<void> {
  const target = join(plan.outDir, file.path);
  const info = await lstat(target).catch(() => undefined);
  if (info === undefined) {
    plan.missing.push(file);
    return;
  }
  if (info.isDirectory()) {
    // Even --force does not replace a whole directory with a file.
    plan.blocked.push(file.path);
    return;
  }
  if (!info.isFile()) {
    // A symlink (or stranger) at a template's path is somebody's: replaced only with --force.
    plan.stale.push({ file, current: undefined, modeOnly: false, ours: false });
    return;
  }
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (current === undefined) {
    // Gone since lstat: another process sharing the directory is renaming over it.
    plan.missing.push(file);
    return;
  }
  // Only the executable bit is compared: git records nothing finer, so a clone's umask must not matter.
  const modeMatches = Boolean(info.mode & 0o100) === Boolean(file.mode & 0o100);
  if (current === file.content && modeMatches) return;
  const ours = carriesNotice(file.path, templateLabel(plan.spec.templateDir, file.path), current);
  plan.stale.push({ file, current, modeOnly: current === file.content, ours });
}

async function classifyLeftover(plan: ModulePlan, path: string): Promise<void> {
  const target = join(plan.outDir, path);
  const info = await lstat(target).catch(() => undefined);
  // Gone since the listing (another process's temp file, renamed): nothing to decide.
  if (info === undefined) return;
  // A symlink is never ours: generate writes regular files only.
  const content = info.isFile() ? await readFile(target, 'utf8').catch(() => undefined) : undefined;
  const ours = content !== undefined && carriesNotice(path, templateLabel(plan.spec.templateDir, path), content);
  (ours ? plan.obsolete : plan.foreign).push(path);
}

/** The directories templates write files into, relative to the output directory ('' is itself). */
function writtenDirs(files: GeneratedFile[]): string[] {
  const dirs = new Set(files.map((file) => (file.path.includes('/') ? dirname(file.path) : '')));
  return [...dirs].sort();
}

/** The files (and symlinks) directly in one directory, skipping Terraform's; never recursive. */
async function listDir(outDir: string, dir: string): Promise<string[] | 'blocked'> {
  const full = join(outDir, dir);
  const info = await stat(full).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) return info.code === 'ENOENT' ? [] : 'blocked';
  if (!info.isDirectory()) return 'blocked';
  const entries = await readdir(full, { withFileTypes: true });
  return entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && !isTerraformArtifact(entry.name))
    .map((entry) => (dir === '' ? entry.name : `${dir}/${entry.name}`))
    .sort();
}
