/** Reads an agent spec file (YAML, or JSON, which is YAML too) and validates it. */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { describeIssues } from './spec-issues.ts';
import { type AgentSpec, agentSpecSchema } from './spec-schema.ts';
import { describeYamlError } from './yaml-error.ts';

/** A spec the user must fix; the message names the file, the field (and its line) and the problem. */
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const syntax = doc.errors[0];
  if (syntax !== undefined) throw new AgentSpecError(`agent spec ${source} is not valid YAML: ${describeYamlError(syntax, text)}`);
  const raw: unknown = doc.toJS();
  const result = agentSpecSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues, { raw, schema: agentSpecSchema, lineOf: (path) => lineOf(doc, lineCounter, path) });
  throw new AgentSpecError(`invalid agent spec ${source}:\n${lines.join('\n')}`);
}

/** The line of the field at `path`: its key in a mapping, its item in a list, else its nearest parent's. */
function lineOf(doc: Document, lineCounter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const key of path) {
    let offset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      offset = (pair?.key as { range?: [number, number, number] } | null)?.range?.[0];
      node = pair?.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    } else {
      break;
    }
    if (offset === undefined) break;
    line = lineCounter.linePos(offset).line;
  }
  return line;
}
