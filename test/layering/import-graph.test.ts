// Imports flow one way, by the ranks in RANK: cli at the top; demo and conformance; the agent
// simulation, agents, cdktf and registry; generate and export; config, snapshot, mocks and terraform; module; contract at the bottom. No
// file imports itself back through others. Read from the source text of src/**/*.ts by
// TypeScript's pre-processor (every import form, type-only imports included).
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedSpecifiers } from '../support/imports.ts';

const SRC = resolve(import.meta.dirname, '../../src');

/** A directory of src/ may import only from directories of a lower rank (and from itself). */
const RANK: Readonly<Record<string, number>> = {
  contract: 0,
  module: 1,
  config: 2,
  snapshot: 2,
  mocks: 2,
  generate: 3,
  export: 3,
  'agent-simulation': 4,
  conformance: 5,
  agents: 4,
  registry: 4,
  terraform: 2,
  cdktf: 4,
  demo: 5,
  cli: 6,
};


async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => relative(SRC, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** file -> the src/ files it imports (relative specifiers only; packages are not part of the graph). */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles()) {
    const text = await readFile(join(SRC, file), 'utf8');
    const targets = importedSpecifiers(text)
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

/** `from -> to` for every import into a directory of the same or a higher rank. */
function upwardImports(graph: Map<string, string[]>, rank: Readonly<Record<string, number>>): string[] {
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    const from = topDirectory(file);
    for (const target of targets) {
      const to = topDirectory(target);
      if (from === to || from.endsWith('.ts')) continue;
      if (!((rank[to] ?? Infinity) < (rank[from] ?? -1))) upward.push(`${file} -> ${target}`);
    }
  }
  return upward;
}

describe('the import graph of src/', async () => {
  const graph = await importGraph();

  it('sees the whole tree, and every directory has a rank', () => {
    expect(graph.size).toBeGreaterThan(50);
    const unranked = [...new Set([...graph.keys()].map(topDirectory))].filter((dir) => dir.endsWith('.ts') === false && !(dir in RANK));
    expect(unranked, 'add new src/ directories to RANK').toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' <-> '))).toEqual([]);
  });

  it('imports only downwards, by the ranks above (cli at the top, contract at the bottom)', () => {
    expect(upwardImports(graph, RANK)).toEqual([]);
  });

  it('the cycle check finds a cycle in a graph that has one', () => {
    const sample = new Map([
      ['a/x.ts', ['b/y.ts']],
      ['b/y.ts', ['a/x.ts']],
      ['c/z.ts', []],
    ]);
    expect(cycles(sample)).toEqual([['a/x.ts', 'b/y.ts']]);
  });

  it('the direction check finds an upward import and an import between equal ranks', () => {
    const sample = new Map([
      ['contract/a.ts', ['cli/b.ts']],
      ['mocks/c.ts', ['config/d.ts']],
      ['cli/b.ts', ['contract/a.ts']],
    ]);
    expect(upwardImports(sample, RANK)).toEqual(['contract/a.ts -> cli/b.ts', 'mocks/c.ts -> config/d.ts']);
  });

  it('reads every import form: static, type-only, re-export, side effect, dynamic', () => {
    const text = ["import { a } from './a.ts';", "import type { B } from '../b.ts';", "export { c } from './c.ts';", "import './d.ts';", "const e = await import('./e.ts');"].join('\n');
    expect(importedSpecifiers(text)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts']);
  });
});
