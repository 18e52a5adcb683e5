import { describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/harness/coder-script.ts';

// Linux refuses a single argv string over MAX_ARG_STRLEN (32 pages = 131072 bytes) with E2BIG,
// and the whole script travels as one argument of the /bin/sh hand-off.
const MAX_ARG_STRLEN = 131072;

describe('coder_script bodies', () => {
  it('agentapi (start) leaves half the kernel\'s single-argument limit free', async () => {
    const body = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi', variables: { ...EXAMPLE_REQUIRED_VARIABLES } });
    // Half the limit stays free for the user's own install and start scripts, which ride along.
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_ARG_STRLEN / 2 + 16384);
  });

  it('agentapi_shutdown leaves a quarter of the kernel\'s single-argument limit free', async () => {
    const body = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi_shutdown', variables: { ...EXAMPLE_REQUIRED_VARIABLES } });
    // No user script rides along with the shutdown script: only its own growth needs room (the
    // registry's 2-space indentation made it about 1.2 KiB larger than tabs did).
    expect(Buffer.byteLength(body)).toBeLessThan((MAX_ARG_STRLEN * 3) / 4);
  });
});
