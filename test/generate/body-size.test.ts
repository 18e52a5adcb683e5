import { describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../../src/harness/coder-script.ts';

// Linux refuses a single argv string over MAX_ARG_STRLEN (32 pages = 131072 bytes) with E2BIG,
// and the whole script travels as one argument of the /bin/sh hand-off.
const MAX_ARG_STRLEN = 131072;

describe('coder_script bodies', () => {
  it.each(['agentapi', 'agentapi_shutdown'] as const)('%s leaves room under the kernel\'s single-argument limit', async (resource) => {
    const body = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource, variables: { ...EXAMPLE_REQUIRED_VARIABLES } });
    // Half the limit stays free for the user's own install and start scripts, which ride along.
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_ARG_STRLEN / 2 + 16384);
  });
});
