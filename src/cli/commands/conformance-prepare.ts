/**
 * What `conformance` runs, from its flags: the generated module, a --module (the agentapi module
 * or an agent module), a --script, or a --template (rendered by Terraform); plus --var and
 * --var-file, the values a template or an agent module needs for its variables.
 */
import { access, constants, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModuleCaller } from '../../conformance/module-call.ts';
import { UsageError } from '../errors.ts';
import { prepareModuleRun } from './conformance-module.ts';
import { prepareTemplateRun } from './conformance-template.ts';

export interface PrepareFlags {
  script?: string;
  module?: string;
  template?: string;
  var?: string[];
  varFile?: string[];
}

export interface PreparedRun {
  moduleDir?: string;
  scriptPath?: string;
  caller?: ModuleCaller;
  /** The module whose bodies the evaluator renders (checked against Terraform); undefined for a template. */
  bodyCheckDir?: string;
  remove: () => Promise<void>;
}

/** `--var` values, in order; each must be NAME=VALUE with a Terraform identifier as the name. */
export function parseVarFlags(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)=([\s\S]*)$/.exec(value);
    if (match === null) throw new UsageError(`--var needs NAME=VALUE, got "${value}"`);
    out[match[1] as string] = match[2] as string;
  }
  return out;
}

/** Collects a repeatable option's values (commander's argParser). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export async function prepareRun(flags: PrepareFlags, log: (line: string) => void): Promise<PreparedRun> {
  if (flags.template !== undefined && (flags.script !== undefined || flags.module !== undefined)) throw new UsageError('--template renders its own scripts; it cannot be combined with --script or --module');
  const vars = parseVarFlags(flags.var);
  const varFiles = (flags.varFile ?? []).map((file) => resolve(file));
  for (const file of varFiles) await mustBeReadableFile(file, '--var-file');
  if ((flags.var !== undefined || flags.varFile !== undefined) && flags.template === undefined && flags.module === undefined) {
    throw new UsageError('--var and --var-file give values to a --template or an agent --module');
  }
  const noop = async () => undefined;
  if (flags.template !== undefined) {
    const templateDir = resolve(flags.template);
    await mustExist(templateDir, '--template');
    return prepareTemplateRun(templateDir, { vars: flags.var, varFiles }, log);
  }
  const scriptPath = flags.script === undefined ? undefined : resolve(flags.script);
  if (scriptPath !== undefined) await mustBeReadableFile(scriptPath, '--script');
  if (flags.module === undefined) return { scriptPath, remove: noop };
  const module = await prepareModuleRun(resolve(flags.module), { vars, varFiles });
  log(module.description);
  return { moduleDir: module.moduleDir, caller: module.caller, scriptPath, bodyCheckDir: module.moduleDir, remove: noop };
}

/** A script must be a file this process can read: a directory or an unreadable file is a usage error. */
export async function mustBeReadableFile(path: string, flag: string): Promise<void> {
  await mustExist(path, flag);
  const info = await stat(path);
  if (info.isDirectory()) throw new UsageError(`${flag}: ${path} is a directory, not a ${flag === '--script' ? 'script' : 'file'}`);
  if (!info.isFile()) throw new UsageError(`${flag}: ${path} is not a regular file`);
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new UsageError(`${flag}: ${path} is not readable`);
  }
}

export async function mustExist(path: string, flag: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`${flag}: ${path} does not exist`);
  }
}
