#!/usr/bin/env node
// Builds dist/ from src/, recording the sources each part read so staleness can be told:
// - dist/cli/: the CLI, bundled by esbuild (one chunk per lazily imported command, dependencies
//   left in node_modules); bin/agentapi-kit.mjs runs it while it matches the sources.
// - dist/lib/: the library entry points of package.json "exports" (mocks, snapshot, cdktf),
//   compiled file by file by tsc to ESM JavaScript with .d.ts, so plain Node 20 imports them.
// Then warms the HCL formatter's cache, so the first `agentapi-kit generate` after `npm ci` is fast.
// Without esbuild and typescript (an install without devDependencies) it builds nothing: the CLI
// runs through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { DIST_DIR, digestSources, LIB_DIR, PACKAGE_ROOT } from './dist.mjs';

async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return undefined;
  }
}

function findTsc() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

/** Writes `inputs` (paths relative to the package root) and their digest beside a build. */
function recordInputs(dir, inputs) {
  writeFileSync(join(dir, 'inputs.json'), `${JSON.stringify({ inputs, digest: digestSources(inputs) }, null, 2)}\n`);
}

/** Builds into a staging directory, then swaps it in, so a reader never sees half a build. */
function replaceWith(staging, target) {
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

async function buildCli(esbuild) {
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
  recordInputs(staging, inputs);
  replaceWith(staging, DIST_DIR);
  return inputs.length;
}

/** The sources tsc compiled: one `src/<path>.ts` per emitted `<path>.js`. */
function compiledSources(dir) {
  return readdirSync(dir, { recursive: true })
    .map((path) => String(path).split('\\').join('/'))
    .filter((path) => path.endsWith('.js'))
    .map((path) => `src/${path.slice(0, -'.js'.length)}.ts`)
    .sort();
}

function buildLib(tsc) {
  const staging = `${LIB_DIR}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const run = spawnSync(process.execPath, [tsc, '-p', join(PACKAGE_ROOT, 'tsconfig.lib.json'), '--outDir', staging], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (run.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`tsc could not compile the library entry points (tsconfig.lib.json):\n${run.stdout}${run.stderr}`);
  }
  const inputs = compiledSources(staging);
  recordInputs(staging, inputs);
  replaceWith(staging, LIB_DIR);
  return inputs.length;
}

const esbuild = await loadEsbuild();
const tsc = findTsc();
if (esbuild === undefined || tsc === undefined) {
  process.stdout.write(`agentapi-kit: ${esbuild === undefined ? 'esbuild' : 'typescript'} not installed, dist/ not built; the CLI runs through tsx\n`);
} else {
  try {
    const cli = await buildCli(esbuild);
    const lib = buildLib(tsc);
    process.stdout.write(`agentapi-kit: compiled ${cli} sources to ${relative(PACKAGE_ROOT, DIST_DIR)}/ and ${lib} to ${relative(PACKAGE_ROOT, LIB_DIR)}/\n`);
  } catch (error) {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  // Only the formatter's cache is wanted here; drift in modules/ is `npm test`'s business.
  spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin/agentapi-kit.mjs'), 'generate', '--check'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
}
