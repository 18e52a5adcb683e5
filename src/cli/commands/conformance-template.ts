/** `conformance --template`: the template's stop script, rendered by Terraform, as a --script file. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplateStopScripts } from '../../harness/template-scripts.ts';
import { checkTerraform, TerraformUnavailableError } from '../../terraform/terraform-binary.ts';
import { CliError } from '../errors.ts';

export async function templateStopScriptFile(templateDir: string, quietStdout: boolean): Promise<{ path: string; remove: () => Promise<void> }> {
  try {
    checkTerraform();
  } catch (error) {
    if (error instanceof TerraformUnavailableError) throw new CliError(`--template needs terraform: ${error.message}`);
    throw error;
  }
  const log = (line: string) => (quietStdout ? process.stderr : process.stdout).write(`${line}\n`);
  const scripts = await renderTemplateStopScripts(templateDir).catch((error: Error) => {
    throw new CliError(error.message);
  });
  if (scripts.length === 0) throw new CliError(`${templateDir} has no coder_script with run_on_stop = true`);
  // The module's shutdown script when the template has several stop scripts.
  const chosen = scripts.find((script) => script.address.endsWith('coder_script.agentapi_shutdown')) ?? scripts[0]!;
  log(`template ${templateDir}: running ${chosen.address} as terraform rendered it`);
  for (const other of scripts.filter((script) => script !== chosen)) log(`  (not run: ${other.address})`);
  const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-template-script-'));
  const path = join(dir, 'stop.sh');
  await writeFile(path, chosen.script, { mode: 0o755 });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
