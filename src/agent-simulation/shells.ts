import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** One shell of the matrix: `argv` is how it is started before `-c <text>` is appended. */
export interface ShellSpec {
  name: string;
  argv: string[];
  /** Whether `argv[0]` resolves on PATH on this machine (computed once, at import). */
  available: boolean;
}

/** Where binaries are looked up; the PATH of a plain Debian login, so results do not depend on npm's PATH. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Absolute path of `bin` on `searchPath` (the process PATH plus the system PATH), or undefined. */
export function findOnPath(bin: string, searchPath = `${process.env.PATH ?? ''}${delimiter}${SYSTEM_PATH}`): string | undefined {
  if (isAbsolute(bin)) return isExecutable(bin) ? bin : undefined;
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, bin);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function spec(name: string, argv: string[]): ShellSpec {
  const bin = argv[0];
  if (bin === undefined) throw new Error(`shell ${name} has an empty argv`);
  return { name, argv, available: findOnPath(bin) !== undefined };
}

/** The POSIX shells the scripts must run under; zsh and bash in their sh-compatible modes. */
export const SHELLS: readonly ShellSpec[] = Object.freeze([
  spec('dash', ['dash']),
  spec('bash', ['bash']),
  spec('bash-posix', ['bash', '--posix']),
  spec('busybox', ['busybox', 'sh']),
  spec('mksh', ['mksh']),
  spec('yash', ['yash']),
  spec('zsh', ['zsh', '--emulate', 'sh']),
  spec('ksh', ['ksh']),
  spec('posh', ['posh']),
]);

/**
 * Login shells a Coder agent may hand a script body to as `<shell> -c '<body>'`. These run in
 * their native mode (zsh is plain zsh, fish is fish): the body must survive them untouched.
 */
export const LOGIN_SHELLS: readonly ShellSpec[] = Object.freeze([
  spec('bash', ['bash']),
  spec('zsh', ['zsh']),
  spec('dash', ['dash']),
  spec('busybox', ['busybox', 'sh']),
  spec('fish', ['fish']),
]);

export function installedShells(): ShellSpec[] {
  return SHELLS.filter((shell) => shell.available);
}

/** The matrix shell called `name`; an unknown name is an error that lists the valid ones. */
export function shellByName(name: string): ShellSpec {
  const found = SHELLS.find((shell) => shell.name === name);
  if (found === undefined) {
    throw new Error(`unknown shell "${name}"; valid shells: ${SHELLS.map((shell) => shell.name).join(', ')}`);
  }
  return found;
}

/** The login shell called `name` (bash, zsh, dash, busybox, fish); unknown names list the valid ones. */
export function loginShellByName(name: string): ShellSpec {
  const found = LOGIN_SHELLS.find((shell) => shell.name === name);
  if (found === undefined) {
    throw new Error(`unknown login shell "${name}"; valid login shells: ${LOGIN_SHELLS.map((shell) => shell.name).join(', ')}`);
  }
  return found;
}

/** `argv` with its first element made absolute, so the shell starts whatever PATH the script gets. */
export function absoluteArgv(shell: ShellSpec): string[] {
  const [bin, ...rest] = shell.argv;
  const path = bin === undefined ? undefined : findOnPath(bin);
  if (path === undefined) throw new Error(`shell ${shell.name} (${shell.argv.join(' ')}) is not installed`);
  return [path, ...rest];
}
