/**
 * Where the harness gets a coder_script body: from Terraform (terraform apply with the stand-in
 * provider) wherever terraform is on PATH, else from our own HCL evaluator. The environment
 * variable AGENTAPI_KIT_SCRIPT_BODIES=terraform|evaluator forces one.
 */
import { spawnSync } from 'node:child_process';
import { renderCoderScriptBody, type RenderCoderScriptOptions } from './coder-script.ts';
import { renderBodiesWithTerraform } from './terraform-bodies.ts';

export type BodySource = 'terraform' | 'evaluator';

let detected: BodySource | undefined;

export function defaultBodySource(env: NodeJS.ProcessEnv = process.env): BodySource {
  const forced = env.AGENTAPI_KIT_SCRIPT_BODIES;
  if (forced === 'terraform' || forced === 'evaluator') return forced;
  detected ??= spawnSync('sh', ['-c', 'command -v terraform >/dev/null 2>&1']).status === 0 ? 'terraform' : 'evaluator';
  return detected;
}

export async function coderScriptBody(opts: RenderCoderScriptOptions, source: BodySource = defaultBodySource()): Promise<string> {
  if (source === 'evaluator') return renderCoderScriptBody(opts);
  const bodies = await renderBodiesWithTerraform(opts);
  return bodies[opts.resource];
}
