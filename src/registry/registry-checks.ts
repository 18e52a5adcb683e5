/**
 * The checks the Coder registry's CI runs on a module, run on a copy laid out as its repository
 * holds it (registry-layout.ts): `prettier --check .` with prettier-plugin-sh, `terraform fmt
 * -check -recursive`, shellcheck at warning severity with its settings, the `set -u` ordering of
 * scripts that source system files, and its README rules (readme-rules.ts) with the README's ```tf
 * blocks in `terraform fmt` layout (what its prettier Terraform plugin formats them to).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatTfBlocks } from '../generate/format-tf-blocks.ts';
import { moduleReadmeProblems } from './readme-rules.ts';
import { layOutForRegistry, prettierCliPath } from './registry-layout.ts';

export interface RegistryCheck {
  /** What ran, as the registry's CI names the step. */
  name: string;
  /** Every finding, one sentence each, paths relative to the registry's root; none means the check passed. */
  problems: string[];
}

export interface RegistryCheckOptions {
  /** The namespace directory the modules go in: `registry/<namespace>/modules/`. */
  namespace: string;
  /** The registry's `.icons/` directory, to check each README's icon exists; unchecked when omitted. */
  iconsDir?: string;
}

/** A module directory name the registry accepts (letters, digits and -). */
const MODULE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

export async function registryChecks(moduleDirs: readonly string[], options: RegistryCheckOptions): Promise<RegistryCheck[]> {
  const layout = await layOutForRegistry(moduleDirs, options.namespace);
  try {
    const scripts = (await Promise.all(layout.modules.map((dir) => filesUnder(layout.root, dir, '.sh')))).flat();
    // The tools run at once: prettier and shellcheck each take seconds on the large scripts.
    const [prettier, terraform, shell, setU, readmes] = await Promise.all([
      prettierCheck(layout.root),
      terraformFmtCheck(layout.root),
      shellcheck(layout.root, scripts),
      setUOrder(layout.root, scripts),
      Promise.all(layout.modules.map((dir) => readmeCheck(layout.root, dir, options.iconsDir))),
    ]);
    return [
      { name: 'prettier --check .', problems: prettier },
      { name: 'terraform fmt -check -recursive', problems: terraform },
      { name: 'shellcheck --severity=warning', problems: shell },
      { name: "'set -u' after sourcing system files", problems: setU },
      { name: 'README validation', problems: readmes.flat() },
    ];
  } finally {
    await layout.cleanup();
  }
}

interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the tool could not be started (not on PATH). */
  missing: boolean;
}

function run(command: string, args: string[], cwd: string): Promise<ToolResult> {
  return new Promise((done) => {
    // Plain text to parse: under CI=true (or FORCE_COLOR) prettier colours its [warn] lines.
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', () => done({ status: null, stdout, stderr, missing: true }));
    child.on('close', (status) => done({ status, stdout, stderr, missing: false }));
  });
}

async function prettierCheck(root: string): Promise<string[]> {
  const result = await run(process.execPath, [prettierCliPath(), '--check', '.'], root);
  if (result.status === 0) return [];
  const unformatted = `${result.stdout}${result.stderr}`
    .split('\n')
    .map((line) => /^\[warn\] (.+)$/.exec(line)?.[1])
    .filter((file): file is string => file !== undefined && !file.startsWith('Code style issues'));
  if (unformatted.length > 0) return unformatted.map((file) => `${file} is not as prettier formats it (prettier --write fixes it)`);
  return [`prettier failed: ${firstLines(`${result.stderr}${result.stdout}`)}`];
}

async function terraformFmtCheck(root: string): Promise<string[]> {
  const result = await run('terraform', ['fmt', '-check', '-recursive'], root);
  if (result.missing) return ['terraform is not on PATH (the registry runs terraform fmt): install it to run this check'];
  if (result.status === 0) return [];
  const files = result.stdout.split('\n').filter((line) => line !== '');
  return files.length > 0 ? files.map((file) => `${file} is not as terraform fmt formats it`) : [`terraform fmt failed: ${firstLines(result.stderr)}`];
}

async function shellcheck(root: string, scripts: string[]): Promise<string[]> {
  if (scripts.length === 0) return [];
  const result = await run('shellcheck', ['--severity=warning', '--format=gcc', ...scripts], root);
  if (result.missing) return ['shellcheck is not on PATH (the registry runs it): install it to run this check'];
  if (result.status === 0) return [];
  const findings = result.stdout.split('\n').filter((line) => line !== '');
  return findings.length > 0 ? findings : [`shellcheck failed: ${firstLines(result.stderr)}`];
}

const SET_U = /^set -[a-z]*u/;
const SOURCES_SYSTEM_FILE = /^\s*(source|\.)\s+.*(\$HOME\/\.bashrc|\/etc\/bashrc|\/etc\/os-release)/;

/** A script that turns on `set -u` before sourcing a system file can die on the file's unset variables. */
async function setUOrder(root: string, scripts: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const script of scripts) {
    const lines = (await readFile(join(root, script), 'utf8')).split('\n');
    const setU = lines.findIndex((line) => SET_U.test(line));
    const source = lines.findIndex((line) => SOURCES_SYSTEM_FILE.test(line));
    if (setU !== -1 && source !== -1 && setU < source) problems.push(`${script}: 'set -u' at line ${setU + 1} comes before sourcing at line ${source + 1}`);
  }
  return problems;
}

async function readmeCheck(root: string, moduleDir: string, iconsDir: string | undefined): Promise<string[]> {
  const problems: string[] = [];
  if (!MODULE_NAME.test(basename(moduleDir))) problems.push(`${moduleDir}: the module's directory name may hold only letters, digits and -`);
  if (!existsSync(join(root, moduleDir, 'main.tf'))) problems.push(`${moduleDir}/main.tf does not exist`);
  const readmePath = join(moduleDir, 'README.md');
  let readme: string;
  try {
    readme = await readFile(join(root, readmePath), 'utf8');
  } catch {
    return [...problems, `${readmePath} does not exist`];
  }
  const iconExists = iconsDir === undefined ? undefined : (path: string) => existsSync(join(iconsDir, path.slice('.icons/'.length)));
  problems.push(...moduleReadmeProblems(readme, { iconExists }).map((problem) => `${readmePath}: ${problem}`));
  try {
    if ((await formatTfBlocks(readme, readmePath)) !== readme) problems.push(`${readmePath}: a \`\`\`tf block is not as terraform fmt formats it`);
  } catch (error) {
    problems.push(`${readmePath}: ${(error as Error).message}`);
  }
  return problems;
}

async function filesUnder(root: string, dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' / ');
}
