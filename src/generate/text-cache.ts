/**
 * Remembers, per name, the last result a slow tool gave for a text, so a `generate` whose rendered
 * text has not changed skips loading the tool (Go compiled to WASM: its first call is most of a
 * cold `generate`; README, "Performance"). One entry per name keeps a cache bounded however many
 * configs are rendered. The key covers the tool's version, so upgrading it invalidates every
 * entry. Any failure to read or write only means running the tool again.
 * AGENTAPI_KIT_NO_FORMAT_CACHE=1 turns every cache off (the bench's uncached row).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.ts';

const CACHE_ROOT = join(packageRoot, 'node_modules', '.cache', 'agentapi-kit');

interface Entry {
  key: string;
  result: string;
}

export interface TextCache {
  /** The remembered result for exactly `text` under `name`, if any. */
  get(name: string, text: string): string | undefined;
  /** Remembers `result` for `text` under `name`, replacing what `name` had. */
  set(name: string, text: string, result: string): void;
  /** Where `name`'s entry lives (tests remove it). */
  entryPath(name: string): string;
}

/**
 * A cache in `node_modules/.cache/agentapi-kit/<kind>/` for results of the npm package `tool` (or
 * packages: a formatter and its plugins, whose versions all key the entries).
 */
export function textCache(kind: string, tool: string | readonly string[]): TextCache {
  const dir = join(CACHE_ROOT, kind);
  let version: string | undefined;
  const key = (text: string) => {
    version ??= (typeof tool === 'string' ? [tool] : tool).map(toolVersion).join(' ');
    return createHash('sha256').update(version).update('\0').update(text).digest('hex');
  };
  const entryPath = (name: string) => join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  return {
    entryPath,
    get(name, text) {
      if (disabled()) return undefined;
      try {
        const entry = JSON.parse(readFileSync(entryPath(name), 'utf8')) as Entry;
        return entry.key === key(text) ? entry.result : undefined;
      } catch {
        return undefined;
      }
    },
    set(name, text, result) {
      if (disabled()) return;
      try {
        mkdirSync(dir, { recursive: true });
        const path = entryPath(name);
        const staging = `${path}.${process.pid}.tmp`;
        writeFileSync(staging, JSON.stringify({ key: key(text), result } satisfies Entry));
        renameSync(staging, path);
      } catch {
        // A read-only install: run the tool every time.
      }
    },
  };
}

function disabled(): boolean {
  return process.env.AGENTAPI_KIT_NO_FORMAT_CACHE === '1';
}

function toolVersion(tool: string): string {
  try {
    return String(JSON.parse(readFileSync(join(packageRoot, 'node_modules', ...tool.split('/'), 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}
