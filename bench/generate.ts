import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultConfig } from '../src/config/schema.ts';
import { agentapiModuleSpec } from '../src/generate/module-specs.ts';
import { renderModule } from '../src/generate/render-module.ts';
import { formatMs, median } from './stats.ts';

const CLI = resolve(import.meta.dirname, '../bin/agentapi-kit.mjs');
const COLD_RUNS = 7;
const WARM_RUNS = 20;

/** `generate` as a user runs it: a new node process each time (cold), and renderModule in-process (warm). */
export async function benchGenerate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-bench-'));
  const cold: number[] = [];
  try {
    for (let run = 0; run < COLD_RUNS; run += 1) {
      rmSync(join(dir, 'out'), { recursive: true, force: true });
      const start = performance.now();
      const result = spawnSync(process.execPath, [CLI, 'generate', '--out', join(dir, 'out')], { encoding: 'utf8' });
      cold.push(performance.now() - start);
      if (result.status !== 0) throw new Error(`generate failed: ${result.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const warm: number[] = [];
  for (let run = 0; run < WARM_RUNS; run += 1) {
    const start = performance.now();
    await renderModule(agentapiModuleSpec(defaultConfig));
    warm.push(performance.now() - start);
  }
  return [
    '| generate | median | min | max | runs |',
    '|---|---|---|---|---|',
    `| cold (\`agentapi-kit generate\`, new process, target < 1 s) | ${formatMs(median(cold))} | ${formatMs(Math.min(...cold))} | ${formatMs(Math.max(...cold))} | ${COLD_RUNS} |`,
    `| warm (\`renderModule\` in-process) | ${formatMs(median(warm))} | ${formatMs(Math.min(...warm))} | ${formatMs(Math.max(...warm))} | ${WARM_RUNS} |`,
  ].join('\n');
}
