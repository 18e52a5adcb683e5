import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CliError } from '../cli/errors.ts';
import { configSchema, defaultConfig, type Config } from './schema.ts';

/** Exit code for a config the user must fix, same as a usage error. */
const BAD_CONFIG = 2;

/** Read when no `--config` is given and the working directory has one, like a linter's rc file. */
export const CONFIG_FILE_NAME = 'agentapi-kit.config.json';

/** Reads and validates a JSON config file; without a path, ./agentapi-kit.config.json, else the built-in defaults. */
export async function loadConfig(path?: string): Promise<Config> {
  if (path === undefined) {
    if (!existsSync(CONFIG_FILE_NAME)) return defaultConfig;
    path = CONFIG_FILE_NAME;
  }
  const text = await readConfigText(path);
  return parseConfig(text, path);
}

export function parseConfig(text: string, source: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`config ${source} is not valid JSON: ${(error as Error).message}`, BAD_CONFIG);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new CliError(describeIssues(result.error, source), BAD_CONFIG);
  return result.data;
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CliError(`cannot read config ${path} (${code})`, BAD_CONFIG);
  }
}

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  ${field}: ${issue.message}`;
  });
  return `invalid config ${source}:\n${lines.join('\n')}`;
}
