import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { vi } from 'vitest';
import { runGenerate } from '../../src/cli/commands/generate.ts';
import { CliError, UsageError } from '../../src/cli/errors.ts';
import type { CliResult } from './cli.ts';

/**
 * `agentapi-kit generate` in-process, with its output captured: the same code path as the CLI
 * without a new node process per call (seconds each on a loaded machine). Paths must be absolute.
 */
export async function generateInProcess(options: Parameters<typeof runGenerate>[0], cwd?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { status: await runGenerate(options, cwd), stdout, stderr };
  } catch (error) {
    if (error instanceof UsageError) return { status: 2, stdout, stderr: `${stderr}Error: ${error.message}\n` };
    if (error instanceof CliError) return { status: error.exitCode, stdout, stderr: `${stderr}Error: ${error.message}\n` };
    throw error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Every file and symlink under `dir` (relative path -> content and mode), to prove what changed. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const tree: Record<string, string> = {};
  for (const entry of entries.filter((e) => !e.isDirectory()).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
    const path = join(entry.parentPath, entry.name);
    const mode = ((await lstat(path)).mode & 0o777).toString(8);
    tree[relative(dir, path)] = entry.isSymbolicLink() ? `symlink ${mode}` : `${mode} ${await readFile(path, 'utf8')}`;
  }
  return tree;
}
