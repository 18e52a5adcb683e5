/**
 * A module laid out as the Coder registry's repository holds it, with the registry's tool settings
 * at the root, so its checks can run on a copy exactly as its CI runs them there:
 * `registry/<namespace>/modules/<slug>/`, a package.json whose `prettier` key lists the plugin,
 * a `.prettierignore` leaving Terraform files to `terraform fmt`, and a `.shellcheckrc`.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface RegistryLayout {
  root: string;
  /** Each module's directory inside `root`, relative to it, in the order given. */
  modules: string[];
  cleanup(): Promise<void>;
}

/** The registry's settings, as its repository root has them (its own words kept out, its values kept). */
const PRETTIER_IGNORE = ['node_modules/', '*.tf', '*.hcl', '*.tfvars', '.terraform/', '*.tfstate', '*.tfstate.backup', '*.tfstate.lock.info', ''].join('\n');

// Bash by default, every optional check on, and off the checks that Terraform's `$${VAR}` escapes
// in templatefile() scripts trip.
const SHELLCHECK_RC = ['shell=bash', 'disable=SC2154,SC2034,SC1083,SC2193,SC2125,SC2157,SC2066,SC2076', 'enable=all', ''].join('\n');

const requireHere = createRequire(import.meta.url);

/** prettier-plugin-sh by absolute path: the layout has no node_modules of its own to find it by name. */
export function shPluginPath(): string {
  return requireHere.resolve('prettier-plugin-sh');
}

export function prettierCliPath(): string {
  return join(requireHere.resolve('prettier'), '..', 'bin', 'prettier.cjs');
}

/** Copies each module directory to `registry/<namespace>/modules/<its name>/` of a new temporary tree. */
export async function layOutForRegistry(moduleDirs: readonly string[], namespace: string): Promise<RegistryLayout> {
  const root = await mkdtemp(join(tmpdir(), 'agentapi-kit-registry-'));
  try {
    const modules: string[] = [];
    for (const dir of moduleDirs) {
      const relative = join('registry', namespace, 'modules', basename(dir));
      await mkdir(join(root, relative), { recursive: true });
      await cp(dir, join(root, relative), { recursive: true, filter: (source) => !/(^|\/)\.terraform(\/|$)|\.terraform\.lock\.hcl$/.test(source) });
      modules.push(relative);
    }
    await writeFile(join(root, 'package.json'), `${JSON.stringify({ private: true, prettier: { plugins: [shPluginPath()] } }, null, 2)}\n`);
    await writeFile(join(root, '.prettierignore'), `package.json\n${PRETTIER_IGNORE}`);
    await writeFile(join(root, '.shellcheckrc'), SHELLCHECK_RC);
    return { root, modules, cleanup: () => rm(root, { recursive: true, force: true }) };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
