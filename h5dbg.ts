import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from './src/harness/coder-script.ts';
console.time('r');
const body = await renderCoderScriptBody({ moduleDir: DEFAULT_MODULE_DIR, resource: 'agentapi', variables: { ...EXAMPLE_REQUIRED_VARIABLES } });
console.timeEnd('r'); console.log(body.length);
