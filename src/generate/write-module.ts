import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { conflicts, type ModulePlan } from './plan-module.ts';
import type { GeneratedFile } from './render-module.ts';

export interface WriteReport {
  outDir: string;
  written: string[];
  /** Files generated earlier that no template produces any more, deleted. */
  removed: string[];
  /** Other files in directories templates write to, left alone. */
  foreign: string[];
}

/** `generate` would destroy something it did not write; nothing has been written. */
export class OwnershipError extends Error {
  override name = 'OwnershipError';
}

/**
 * Brings every planned output directory in line with its templates, or writes nothing at all when
 * one file in any of them is not provably ours (see `refusal`). Files are written atomically (temp
 * file + rename) so an interrupted run never leaves half a file; only files carrying our notice for
 * exactly their path are ever deleted.
 */
export async function applyPlans(plans: ModulePlan[], options: { force?: boolean } = {}): Promise<WriteReport[]> {
  const refused = refusal(plans, options.force ?? false);
  if (refused !== undefined) throw new OwnershipError(refused);
  const reports: WriteReport[] = [];
  for (const plan of plans) reports.push(await applyPlan(plan));
  return reports;
}

/** Why the plans cannot be applied, in one line naming every file; undefined when they can. */
export function refusal(plans: ModulePlan[], force: boolean): string | undefined {
  const blocked = plans.flatMap((plan) => plan.blocked.map((dir) => join(plan.outDir, dir)));
  const foreign = force ? [] : plans.flatMap((plan) => conflicts(plan).map((path) => join(plan.outDir, path)));
  const reasons = [
    ...(foreign.length > 0
      ? [`refusing to overwrite ${plural(foreign.length, 'file')} that generate did not write (no generated notice for that path): ${foreign.join(', ')}; move ${foreign.length === 1 ? 'it' : 'them'} away or pass --force`]
      : []),
    ...(blocked.length > 0 ? [`${blocked.join(', ')} ${blocked.length === 1 ? 'is' : 'are'} in the way of generated files (a directory where a file goes, or a file where a directory goes)`] : []),
  ];
  return reasons.length > 0 ? `${reasons.join('; ')}. Nothing was written.` : undefined;
}

async function applyPlan(plan: ModulePlan): Promise<WriteReport> {
  const report: WriteReport = { outDir: plan.outDir, written: [], removed: [], foreign: plan.foreign };
  for (const file of [...plan.missing, ...plan.stale.map((entry) => entry.file)]) {
    await writeAtomically(plan.outDir, file);
    report.written.push(file.path);
  }
  for (const path of plan.obsolete) {
    // Already gone is fine: another process sharing the directory removed it first.
    await unlink(join(plan.outDir, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    report.removed.push(path);
  }
  report.written.sort();
  return report;
}

async function writeAtomically(outDir: string, file: GeneratedFile): Promise<void> {
  const target = join(outDir, file.path);
  await mkdir(dirname(target), { recursive: true });
  // pid and a random part: two writers in one process (concurrent tests) must not share a temp file.
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, file.content, { mode: file.mode });
  await chmod(temp, file.mode);
  await rename(temp, target);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
