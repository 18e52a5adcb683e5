/**
 * Runs terraform in a directory with the stand-in environment, through zx: quiet, never throwing
 * on a non-zero exit (callers decide what a failure means), colour off for readable messages.
 */
import { $, type ProcessOutput } from 'zx';

export interface TerraformRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runTerraform(cwd: string, env: Record<string, string>, args: string[]): Promise<TerraformRun> {
  const output: ProcessOutput = await $({ cwd, env: { ...process.env, ...env, TF_IN_AUTOMATION: '1' }, nothrow: true, quiet: true, verbose: false })`terraform ${args} -no-color`;
  return { exitCode: output.exitCode ?? 1, stdout: output.stdout, stderr: output.stderr };
}

/** `terraform init` without a backend; throws with Terraform's own message when it fails. */
export async function initTerraform(cwd: string, env: Record<string, string>): Promise<void> {
  const init = await runTerraform(cwd, env, ['init', '-input=false', '-backend=false']);
  if (init.exitCode !== 0) throw new Error(`terraform init failed in ${cwd}:\n${init.stderr.trim()}`);
}
