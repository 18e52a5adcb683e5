/**
 * Entry point of the stand-in providers; Terraform runs it through the mirror's launcher, which
 * names the provider (coder by default, docker for the opt-in Docker stand-in).
 */
import { CODER_PROVIDER } from './coder-provider.ts';
import { DOCKER_PROVIDER } from './docker-provider.ts';
import { providerHandlers } from './handlers.ts';
import { servePlugin } from './serve.ts';

const spec = process.env.AGENTAPI_KIT_STAND_IN === 'docker' ? DOCKER_PROVIDER : CODER_PROVIDER;
const problem = await servePlugin(providerHandlers(spec, process.env));
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
