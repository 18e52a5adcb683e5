import { describe, expect, it } from 'vitest';
import { readHandOff } from '../../src/contract/hand-off.ts';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/agent-simulation/coder-script.ts';
import { renderBodiesWithTerraform } from '../../src/agent-simulation/terraform-bodies.ts';
import { hasCommand } from '../support/commands.ts';

/** Text that breaks naive quoting or templating: quotes, backslashes, ${ and %{, newlines, multibyte, NFD. */
const HOSTILE = `it's "quoted" \\ back\\slash $\{HOME} %{ if true }x%{ endif } $$ \` tab\there\nline 2 日本語 🚀 cafe\u0301`;

const variables = {
  ...EXAMPLE_REQUIRED_VARIABLES,
  start_script: HOSTILE,
  pre_install_script: `#!/bin/sh\necho '${HOSTILE}'`,
  folder: '/home/coder/projet été/',
  module_dir_name: ".mod's dir",
  agentapi_subdomain: false,
  agentapi_version: 'v0.11.0',
  state_file_path: '/tmp/a\\b/state.json',
  shutdown_fetch_timeout: '3',
  task_log_snapshot: 'false',
};
const data = { taskEnabled: true, taskId: '7d8d4c2e-fb57-44f9-a183-22509819c2e7', ownerName: "o'neil", workspaceName: 'ws-ünï' };

describe.skipIf(!hasCommand('terraform'))('coder_script bodies from terraform apply (needs terraform)', () => {
  it('are byte-identical to the evaluator\'s for hostile inputs', async () => {
    const fromTerraform = await renderBodiesWithTerraform({ moduleDir: DEFAULT_MODULE_DIR, variables, data, noCache: true });
    for (const resource of ['agentapi', 'agentapi_shutdown'] as const) {
      const fromEvaluator = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource, variables, data });
      expect(fromTerraform[resource]).toBe(fromEvaluator);
    }
    // The body really carries the hostile text, normalized to NFC as Terraform does.
    const decoded = readHandOff(fromTerraform.agentapi).payload;
    expect(decoded).toContain(`ARG_START_SCRIPT='${HOSTILE.normalize('NFC').replaceAll("'", `'\\''`)}'`);
    expect(decoded).toContain("ARG_WORKDIR='/home/coder/projet été'");
  }, 300_000);

  it('fails the plan of a 1 MiB install script with the body-limit sentence, as the evaluator does', async () => {
    await expect(renderBodiesWithTerraform({ moduleDir: DEFAULT_MODULE_DIR, variables: { ...EXAMPLE_REQUIRED_VARIABLES, install_script: 'x'.repeat(1024 * 1024) }, noCache: true })).rejects.toThrow(
      /Resource precondition failed.*local\.start_body_bytes is \d+.*The start coder_script would be longer than 131071 bytes/,
    );
  }, 300_000);

  it('reports a failed variable validation as Terraform words it', async () => {
    await expect(renderBodiesWithTerraform({ moduleDir: DEFAULT_MODULE_DIR, variables: { ...EXAMPLE_REQUIRED_VARIABLES, shutdown_post_timeout: -1 } })).rejects.toThrow(
      /terraform apply failed: .*Invalid value for variable/,
    );
  }, 300_000);
});
