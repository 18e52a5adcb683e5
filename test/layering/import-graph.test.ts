// Imports flow one way (BRIEF, issue 11): cli -> demo -> harness/cdktf/agents -> generate -> config, mocks,
// snapshot -> module -> contract, and no file imports itself back through others. Read from the
// source text of src/**/*.ts (static imports, re-exports, import()), type-only imports included.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** A directory of src/ may import only from directories of a lower rank (and from itself). */
const RANK: Readonly<Record<string, number>> = {
  contract: 0,
  module: 1,
  config: 2,
  snapshot: 2,
  mocks: 2,
  generate: 3,
  harness: 4,
  agents: 4,
  registry: 4,
  terraform: 2,
  cdktf: 4,
  demo: 5,
  cli: 6,
};

/** Cycles tolerated for now: none. */
const KNOWN_CYCLES: ReadonlyArray<readonly string[]> = [];

const SPECIFIERS = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => relative(SRC, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** file -> the src/ files it imports (relative specifiers only; packages are not part of the graph). */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles()) {
    const text = await readFile(join(SRC, file), 'utf8');
    const targets = SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(SRC, resolve(SRC, dirname(file), specifier)).split('\\').join('/'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a self-import): Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const topDirectory = (file: string) => file.split('/')[0]!;

describe('the import graph of src/', async () => {
  const graph = await importGraph();

  it('sees the whole tree, and every directory has a rank', () => {
    expect(graph.size).toBeGreaterThan(50);
    const unranked = [...new Set([...graph.keys()].map(topDirectory))].filter((dir) => dir.endsWith('.ts') === false && !(dir in RANK));
    expect(unranked, 'add new src/ directories to RANK').toEqual([]);
  });

  it('has no import cycles beyond the known one', () => {
    const known = new Set(KNOWN_CYCLES.map((cycle) => cycle.join(' <-> ')));
    expect(cycles(graph).map((cycle) => cycle.join(' <-> ')).filter((cycle) => !known.has(cycle))).toEqual([]);
  });

  it('imports only downwards: cli -> demo -> harness, cdktf -> generate -> config, mocks, snapshot -> module -> contract', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = topDirectory(file);
      for (const target of targets) {
        const to = topDirectory(target);
        if (from === to || from.endsWith('.ts')) continue;
        if (!((RANK[to] ?? Infinity) < (RANK[from] ?? -1))) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps src/config free of src/cli', () => {
    const configToCli = [...graph].filter(([file, targets]) => topDirectory(file) === 'config' && targets.some((target) => topDirectory(target) === 'cli'));
    expect(configToCli).toEqual([]);
  });

  it('finds a cycle and an upward import when there is one (the checks can fail)', () => {
    const sample = new Map([
      ['a/x.ts', ['b/y.ts']],
      ['b/y.ts', ['a/x.ts']],
      ['c/z.ts', []],
    ]);
    expect(cycles(sample)).toEqual([['a/x.ts', 'b/y.ts']]);
  });
});
