/** Entry point of the stand-in Coder provider; Terraform runs it through the mirror's launcher. */
import { CODER_PROVIDER } from './coder-provider.ts';
import { providerHandlers } from './handlers.ts';
import { servePlugin } from './serve.ts';

const problem = await servePlugin(providerHandlers(CODER_PROVIDER, process.env));
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
