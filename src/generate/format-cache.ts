/**
 * Remembers the last formatted text per file name, so a `generate` whose rendered HCL has not
 * changed skips the WASM formatter (its first call is most of a cold `generate`; README,
 * "Performance"). One entry per file name keeps the cache bounded however many configs are rendered.
 * Any failure to read or write it only means formatting again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.ts';

const CACHE_DIR = join(packageRoot, 'node_modules', '.cache', 'agentapi-kit', 'hcl-format');

interface Entry {
  key: string;
  formatted: string;
}

/** The key covers the formatter's version, so upgrading it invalidates every entry. */
function cacheKey(text: string): string {
  return createHash('sha256').update(formatterVersion()).update('\0').update(text).digest('hex');
}

let version: string | undefined;
function formatterVersion(): string {
  if (version === undefined) {
    try {
      version = String(JSON.parse(readFileSync(join(packageRoot, 'node_modules', '@cdktf', 'hcl-tools', 'package.json'), 'utf8')).version);
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export function cacheEntryPath(fileName: string): string {
  return join(CACHE_DIR, `${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export function cachedFormat(fileName: string, text: string): string | undefined {
  if (process.env.AGENTAPI_KIT_NO_FORMAT_CACHE === '1') return undefined;
  try {
    const entry = JSON.parse(readFileSync(cacheEntryPath(fileName), 'utf8')) as Entry;
    return entry.key === cacheKey(text) ? entry.formatted : undefined;
  } catch {
    return undefined;
  }
}

export function rememberFormat(fileName: string, text: string, formatted: string): void {
  if (process.env.AGENTAPI_KIT_NO_FORMAT_CACHE === '1') return;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const path = cacheEntryPath(fileName);
    const staging = `${path}.${process.pid}.tmp`;
    writeFileSync(staging, JSON.stringify({ key: cacheKey(text), formatted } satisfies Entry));
    renameSync(staging, path);
  } catch {
    // A read-only install: format every time.
  }
}
