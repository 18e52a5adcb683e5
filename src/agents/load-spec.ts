/** Reads an agent spec file (YAML, or JSON, which is YAML too) and validates it. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { type AgentSpec, agentSpecSchema } from './spec-schema.ts';

/** A spec the user must fix; the message names the file, the field and the problem. */
export class AgentSpecError extends Error {
  override name = 'AgentSpecError';
}

export async function loadAgentSpec(path: string): Promise<AgentSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AgentSpecError(`cannot read agent spec ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  return parseAgentSpec(text, path);
}

export function parseAgentSpec(text: string, source: string): AgentSpec {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : (error as Error).message;
    throw new AgentSpecError(`agent spec ${source} is not valid YAML: ${detail}`);
  }
  const result = agentSpecSchema.safeParse(raw);
  if (!result.success) throw new AgentSpecError(describe(result.error, source));
  return result.data;
}

function describe(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => `  ${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
  return `invalid agent spec ${source}:\n${lines.join('\n')}`;
}
