import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError, ConfigUnreadableError } from './errors.ts';
import { configSchema, defaultConfig, type Config } from './schema.ts';

/** Read when no `--config` is given and the working directory has one, like a linter's rc file. */
export const CONFIG_FILE_NAME = 'agentapi-kit.config.json';

/** Reads and validates a JSON config file; without a path, ./agentapi-kit.config.json, else the built-in defaults. Throws ConfigError. */
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
    throw new ConfigError(`config ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error, source));
  return result.data;
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigUnreadableError(`cannot read config ${path} (${code})`);
  }
}

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  ${field}: ${issue.message}`;
  });
  return `invalid config ${source}:\n${lines.join('\n')}`;
}
