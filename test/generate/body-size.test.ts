import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/contract/hand-off.ts';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/agent-simulation/coder-script.ts';

// A body is one argument of `<shell> -c`, bounded by the kernel (MAX_BODY_BYTES); the plan refuses
// a longer one (test/e2e/body-limit.test.ts). What the module's own script takes of that bound is
// what the user's inputs cannot have, so these sizes are kept in check here.

/** Bytes of user input (install and start scripts, the prompt) a body still has room for: base64 takes 4 for 3. */
function inputRoom(bodyBytes: number): number {
  return Math.floor((MAX_BODY_BYTES - bodyBytes) / 4) * 3;
}

async function defaultBodyBytes(resource: 'agentapi' | 'agentapi_shutdown'): Promise<number> {
  return Buffer.byteLength(await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource, variables: { ...EXAMPLE_REQUIRED_VARIABLES } }));
}

describe('coder_script bodies with default inputs', () => {
  it('the start body leaves at least 48 KiB of the kernel\'s bound for the user\'s scripts and prompt', async () => {
    expect(inputRoom(await defaultBodyBytes('agentapi'))).toBeGreaterThanOrEqual(48 * 1024);
  });

  it('the shutdown body, which carries no user script, stays at least 32 KiB under the bound', async () => {
    expect(MAX_BODY_BYTES - (await defaultBodyBytes('agentapi_shutdown'))).toBeGreaterThanOrEqual(32 * 1024);
  });
});
