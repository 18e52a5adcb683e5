#!/usr/bin/env node
// Compiles the CLI to dist/cli/ (esbuild, one chunk per lazily imported command, dependencies left
// in node_modules) and records the sources it read, so bin/agentapi-kit.mjs can tell when it is stale.
// Then warms the HCL formatter's cache, so the first `agentapi-kit generate` after `npm ci` is fast.
// Without esbuild (an install without devDependencies) it does nothing: the CLI runs through tsx.
import { spawnSync } from 'node:child_process';
import { rmSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIST_DIR, digestSources, PACKAGE_ROOT } from './dist.mjs';

async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return undefined;
  }
}

async function build(esbuild) {
  const staging = `${DIST_DIR}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { main: join(PACKAGE_ROOT, 'src/cli/main.ts') },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).map((path) => relative(PACKAGE_ROOT, join(PACKAGE_ROOT, path)).split('\\').join('/'));
  writeFileSync(join(staging, 'inputs.json'), `${JSON.stringify({ inputs, digest: digestSources(inputs) }, null, 2)}\n`);
  rmSync(DIST_DIR, { recursive: true, force: true });
  renameSync(staging, DIST_DIR);
  return inputs.length;
}

const esbuild = await loadEsbuild();
if (esbuild === undefined) {
  process.stdout.write('agentapi-kit: esbuild not installed, dist/ not built; the CLI runs through tsx\n');
} else {
  const count = await build(esbuild);
  process.stdout.write(`agentapi-kit: compiled ${count} sources to ${relative(PACKAGE_ROOT, DIST_DIR)}/\n`);
  // Only the formatter's cache is wanted here; drift in modules/ is `npm test`'s business.
  spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin/agentapi-kit.mjs'), 'generate', '--check'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
}
