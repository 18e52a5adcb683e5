/**
 * Where the harness gets a coder_script body: our own HCL evaluator, checked against Terraform
 * (`agreesWithTerraform`, run once per module before a conformance matrix wherever terraform is on
 * PATH), or Terraform itself for every run (AGENTAPI_KIT_SCRIPT_BODIES=terraform). Every scenario has
 * its own ports and task ID, so a terraform apply per run (about 10 s of CPU) would turn the full
 * matrix (every scenario under every shell and toolbox, over a thousand runs) from minutes into hours; one identity check per module keeps the trust at a fixed cost.
 */
import { spawnSync } from 'node:child_process';
import { renderCoderScriptBody, type RenderCoderScriptOptions } from './coder-script.ts';
import { renderBodiesWithTerraform } from './terraform-bodies.ts';

export type BodySource = 'terraform' | 'evaluator';

let detected: boolean | undefined;

export function defaultBodySource(env: NodeJS.ProcessEnv = process.env): BodySource {
  return env.AGENTAPI_KIT_SCRIPT_BODIES === 'terraform' ? 'terraform' : 'evaluator';
}

export function terraformOnPath(): boolean {
  detected ??= spawnSync('sh', ['-c', 'command -v terraform >/dev/null 2>&1']).status === 0;
  return detected;
}

export async function coderScriptBody(opts: RenderCoderScriptOptions, source: BodySource = defaultBodySource()): Promise<string> {
  if (source === 'evaluator') return renderCoderScriptBody(opts);
  const bodies = await renderBodiesWithTerraform(opts);
  return bodies[opts.resource];
}

/** Inputs that exercise the quoting: quotes, backslashes, template sequences, newlines, multibyte, a trailing slash. */
const HOSTILE_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({
  folder: "/home/coder/it's \\ ${a} %{b} 東京/",
  start_script: "#!/bin/sh\necho \"it's\" '${HOME}' %{ if x } \\n 👍\n",
  pre_install_script: 'echo pre\n\techo tab',
  task_log_snapshot: true,
});

/**
 * Whether the evaluator renders exactly Terraform's bytes for this module: both bodies, inside a
 * task, with hostile inputs. Returns what differs (empty when they agree). Terraform's answer is
 * cached on disk per module and inputs, so a rerun on an unchanged module costs nothing.
 */
export async function agreesWithTerraform(moduleDir: string, requiredVariables: Readonly<Record<string, unknown>>): Promise<string[]> {
  const variables = { ...requiredVariables, ...HOSTILE_VARIABLES };
  const data = { taskEnabled: true, taskId: '2b8e1a6c-4d0f-4c3a-9e8b-5f7a6d1c2e3f', taskPrompt: "it's a task" };
  const byTerraform = await renderBodiesWithTerraform({ moduleDir, variables, data });
  const differing: string[] = [];
  for (const resource of ['agentapi', 'agentapi_shutdown'] as const) {
    const ours = await renderCoderScriptBody({ moduleDir, resource, variables, data });
    if (ours !== byTerraform[resource]) differing.push(`coder_script.${resource}`);
  }
  return differing;
}
