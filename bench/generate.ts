import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freshDistEntry } from '../bin/dist.mjs';
import { defaultConfig } from '../src/config/schema.ts';
import { agentapiModuleSpec } from '../src/generate/module-specs.ts';
import { packageRoot } from '../src/generate/paths.ts';
import { renderModule } from '../src/generate/render-module.ts';
import { formatMs, median } from './stats.ts';

const CLI = resolve(import.meta.dirname, '../bin/agentapi-kit.mjs');
const COLD_RUNS = 7;
const WARM_RUNS = 20;

/** How a new process may start: as after `npm ci` (compiled dist/, tool caches warm), or neither. */
const COLD_MODES = [
  { label: 'cold: `agentapi-kit generate --out DIR` (agentapi) after `npm ci`: dist/ and the tool caches, target < 1 s', env: {} },
  { label: 'the same without dist/ nor the caches (tsx and the WASM formatter)', env: { AGENTAPI_KIT_NO_DIST: '1', AGENTAPI_KIT_NO_FORMAT_CACHE: '1' } },
] as const;

function coldRuns(env: Record<string, string>, runs = COLD_RUNS): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-bench-'));
  try {
    return timedCli(['generate', '--out', join(dir, 'out')], env, runs, () => rmSync(join(dir, 'out'), { recursive: true, force: true }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `generate --check` in this repository: every module its agentapi-kit.config.json configures
 * (agentapi and the three example agents), rendered exactly as `generate` renders them, without
 * writing into modules/.
 */
function allModulesRuns(env: Record<string, string>, runs = COLD_RUNS): number[] {
  return timedCli(['generate', '--check'], env, runs, () => undefined, packageRoot);
}

function timedCli(args: string[], env: Record<string, string>, runs: number, before: () => void, cwd?: string): number[] {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    before();
    const start = performance.now();
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`agentapi-kit ${args.join(' ')} failed: ${result.stderr}`);
  }
  return times;
}

function row(label: string, times: number[]): string {
  return `| ${label} | ${formatMs(median(times))} | ${formatMs(Math.min(...times))} | ${formatMs(Math.max(...times))} | ${times.length} |`;
}

/** `generate` as a user runs it: a new node process each time (cold), and renderModule in-process (warm). */
export async function benchGenerate(): Promise<string> {
  // One untimed run fills the format cache, as `npm ci` does.
  coldRuns({}, 1);
  allModulesRuns({}, 1);
  const cold = [
    ...COLD_MODES.map((mode) => row(mode.label, coldRuns(mode.env))),
    row('cold: all four modules of this repository (`generate --check`: agentapi, aider, codex, goose), target < 1 s', allModulesRuns({})),
  ];
  const warm: number[] = [];
  for (let run = 0; run < WARM_RUNS; run += 1) {
    const start = performance.now();
    await renderModule(agentapiModuleSpec(defaultConfig));
    warm.push(performance.now() - start);
  }
  return [
    '| generate | median | min | max | runs |',
    '|---|---|---|---|---|',
    ...cold,
    row('warm (`renderModule` in-process)', warm),
    ...(freshDistEntry() === undefined ? ['', 'dist/ is missing or stale: run `npm run build` first, or the first row measures tsx too.'] : []),
  ].join('\n');
}
