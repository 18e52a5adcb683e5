#!/usr/bin/env node
// Runs dist/cli/ (compiled by `npm ci` through the `prepare` script) when it matches the sources,
// else the TypeScript sources through tsx: an edit never runs stale code, and no build is required.
import { freshDistEntry } from './dist.mjs';

async function loadMain() {
  const entry = freshDistEntry();
  if (entry !== undefined) return (await import(entry)).main;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv);
