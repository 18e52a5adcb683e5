import { describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { agreesWithTerraform, defaultBodySource } from '../../src/agent-simulation/script-bodies.ts';
import { hasCommand } from '../support/commands.ts';

describe('where the harness gets coder_script bodies', () => {
  it('runs the evaluator unless told to run Terraform for every body', () => {
    expect(defaultBodySource({})).toBe('evaluator');
    expect(defaultBodySource({ AGENTAPI_KIT_SCRIPT_BODIES: 'terraform' })).toBe('terraform');
    expect(defaultBodySource({ AGENTAPI_KIT_SCRIPT_BODIES: 'evaluator' })).toBe('evaluator');
  });

  it.skipIf(!hasCommand('terraform'))("the evaluator agrees with terraform apply on the module's bodies, hostile inputs included (needs terraform)", async () => {
    expect(await agreesWithTerraform(DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES)).toEqual([]);
  }, 180_000);
});
