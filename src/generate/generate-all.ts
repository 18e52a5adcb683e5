import { join, relative } from 'node:path';
import type { ModuleSpec } from './module-spec.ts';
import { planModule, type ModulePlan } from './plan-module.ts';
import { renderModule } from './render-module.ts';
import { unifiedDiff } from './unified-diff.ts';
import { applyPlans, type WriteReport } from './write-module.ts';

/** Renders every module and compares each with its output directory; writes nothing. */
export async function checkAll(specs: ModuleSpec[]): Promise<ModulePlan[]> {
  const plans: ModulePlan[] = [];
  for (const spec of specs) plans.push(await planModule(spec, await renderModule(spec)));
  assertDistinctTargets(plans);
  return plans;
}

/**
 * Writes every module, or nothing at all when any of them would overwrite a file generate did not
 * write (an `OwnershipError`, unless `force`).
 */
export async function generateAll(specs: ModuleSpec[], options: { force?: boolean } = {}): Promise<WriteReport[]> {
  return applyPlans(await checkAll(specs), options);
}

export function hasDrift(plan: ModulePlan): boolean {
  return plan.missing.length + plan.stale.length + plan.obsolete.length + plan.foreign.length + plan.blocked.length > 0;
}

/** One unified diff per stale file, from what is on disk to what the templates render. */
export function staleDiffs(plans: ModulePlan[], cwd = process.cwd()): string[] {
  return plans.flatMap((plan) =>
    plan.stale
      .filter((entry) => !entry.modeOnly)
      .map((entry) => unifiedDiff(relative(cwd, join(plan.outDir, entry.file.path)).split('\\').join('/'), entry.current ?? '', entry.file.content)),
  );
}

/** Two specs writing one file would overwrite each other on every run: a mistake in the list. */
function assertDistinctTargets(plans: ModulePlan[]): void {
  const owners = new Map<string, string>();
  for (const plan of plans) {
    for (const file of plan.files) {
      const target = join(plan.outDir, file.path);
      const owner = owners.get(target);
      if (owner !== undefined) throw new Error(`modules ${owner} and ${plan.spec.name} both generate ${target}`);
      owners.set(target, plan.spec.name);
    }
  }
}
