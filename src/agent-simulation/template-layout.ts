/**
 * A copy of a Coder template laid out the way Terraform resolves it. Terraform treats a local
 * module source (`./x`, `../x`) as a path relative to the calling module, inside one package: a
 * template calling `../../modules/codex`, which calls `../agentapi`, needs both modules at those
 * very relative places. So the template and every local module it reaches (transitively) are
 * copied under their deepest common directory, each at its own relative path, and Terraform runs
 * in the copy, never in the user's folder (no `.terraform/` or state left there).
 */
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** What Terraform leaves in a directory: never copied (a lock file would pin the real provider's hashes). */
const TERRAFORM_LEFTOVERS = /(^|[\\/])(\.terraform([\\/]|$)|\.terraform\.lock\.hcl$|terraform\.tfstate)/;

export interface TemplateLayout {
  /** The copy of the template directory, where terraform runs. */
  templateDir: string;
  /** The original directory of each copied one (template and modules), keyed by the copy's path. */
  originals: ReadonlyMap<string, string>;
}

/** Copies `templateDir` and the local modules it reaches into `workDir`, keeping their relative paths. */
export async function layOutTemplate(templateDir: string, workDir: string): Promise<TemplateLayout> {
  const template = resolve(templateDir);
  const dirs = await localModuleClosure(template);
  const root = commonAncestor([...dirs]);
  const originals = new Map<string, string>();
  for (const dir of dirs) {
    const copy = join(workDir, 'tree', relative(root, dir));
    await mkdir(copy, { recursive: true });
    await cp(dir, copy, { recursive: true, filter: (source) => !TERRAFORM_LEFTOVERS.test(relative(dir, source)) });
    originals.set(copy, dir);
  }
  return { templateDir: join(workDir, 'tree', relative(root, template)), originals };
}

/** The template directory and every directory a local `module` source reaches from it, transitively. */
export async function localModuleClosure(templateDir: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const pending = [resolve(templateDir)];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    for (const source of await localModuleSources(dir)) pending.push(resolve(dir, source));
  }
  return seen;
}

/** The local sources (`./x`, `../x`) of the module blocks in a directory's `.tf` files. */
export async function localModuleSources(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.tf')).sort();
  const sources: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let parsed: { module?: Record<string, Array<{ source?: unknown }>> };
    try {
      parsed = (await parse(path, await readFile(path, 'utf8'))) as typeof parsed;
    } catch (error) {
      throw new Error(`${path} does not parse as HCL: ${(error as Error).message}`);
    }
    for (const blocks of Object.values(parsed.module ?? {})) {
      for (const block of blocks) {
        if (typeof block.source === 'string' && /^\.\.?\//.test(block.source)) sources.push(block.source);
      }
    }
  }
  return sources;
}

/** The deepest directory that holds every one of `dirs` (absolute paths). */
export function commonAncestor(dirs: readonly string[]): string {
  const split = dirs.map((dir) => resolve(dir).split(sep));
  const first = split[0] ?? [sep];
  let length = first.length;
  for (const parts of split) {
    let same = 0;
    while (same < Math.min(length, parts.length) && parts[same] === first[same]) same += 1;
    length = same;
  }
  const joined = first.slice(0, length).join(sep);
  return joined === '' ? sep : joined;
}

/** The modules.json key of a state address's module path: `module.codex[0].module.agentapi` -> `codex.agentapi`. */
export function moduleKey(modulePath: string): string {
  return [...modulePath.matchAll(/module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?/g)].map((match) => match[1]).join('.');
}

/** The original directory for a path inside the laid-out copy (for messages), or the path itself. */
export function originalPath(layout: TemplateLayout, path: string): string {
  for (const [copy, original] of layout.originals) {
    const rel = relative(copy, path);
    if (!rel.startsWith('..') && !rel.startsWith(sep)) return rel === '' ? original : join(original, rel);
  }
  return path;
}
