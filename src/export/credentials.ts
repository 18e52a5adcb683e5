/**
 * Where `export` finds coderd and its token: the environment, as the coder CLI reads them
 * (`CODER_URL`, `CODER_SESSION_TOKEN`). Never argv: a token there is visible to every process on
 * the machine through `ps`.
 */
export interface CoderCredentials {
  /** Deployment URL without a trailing slash, e.g. `https://coder.example.com`. */
  url: string;
  token: string;
}

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): CoderCredentials {
  const rawUrl = env.CODER_URL?.trim() ?? '';
  const token = env.CODER_SESSION_TOKEN?.trim() ?? '';
  const missing = [rawUrl === '' ? 'CODER_URL' : '', token === '' ? 'CODER_SESSION_TOKEN' : ''].filter(Boolean);
  if (missing.length > 0) {
    throw new CredentialsError(
      `set ${missing.join(' and ')} in the environment (the deployment URL and a session token, as the coder CLI reads them; \`coder tokens create\` makes a token)`,
    );
  }
  return { url: deploymentUrl(rawUrl), token };
}

function deploymentUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CredentialsError(`CODER_URL is not a URL: ${JSON.stringify(raw)} (expected e.g. https://coder.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CredentialsError(`CODER_URL must be an http or https URL, got ${JSON.stringify(raw)}`);
  if (url.username !== '' || url.password !== '') throw new CredentialsError('CODER_URL must not carry a user name or password; put the token in CODER_SESSION_TOKEN');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}
