/**
 * Remembers, per name, the last few results a slow tool gave for a text, so a `generate` whose rendered
 * text has not changed skips loading the tool (Go compiled to WASM: its first call is most of a
 * cold `generate`; README, "Performance"). A few entries per name (the newest `ENTRIES_PER_NAME`)
 * keep a cache bounded however many configs are rendered, while this repository's config and the
 * built-in defaults (`generate --out DIR`), which differ only in a README, both stay cached. The
 * key covers the tool's version, so upgrading it invalidates every entry. Any failure to read or write only means running the tool again.
 * AGENTAPI_KIT_NO_FORMAT_CACHE=1 turns every cache off (the bench's uncached row).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './paths.ts';

const CACHE_ROOT = join(packageRoot, 'node_modules', '.cache', 'agentapi-kit');

interface Entry {
  key: string;
  result: string;
}

const ENTRIES_PER_NAME = 4;

export interface TextCache {
  /** The remembered result for exactly `text` under `name`, if any. */
  get(name: string, text: string): string | undefined;
  /** Remembers `result` for `text` under `name`, forgetting the oldest of `name`'s entries past a few. */
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
        const wanted = key(text);
        return readEntries(entryPath(name)).find((entry) => entry.key === wanted)?.result;
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
        const fresh: Entry = { key: key(text), result };
        const kept = readEntries(path).filter((entry) => entry.key !== fresh.key);
        writeFileSync(staging, JSON.stringify([fresh, ...kept].slice(0, ENTRIES_PER_NAME)));
        renameSync(staging, path);
      } catch {
        // A read-only install: run the tool every time.
      }
    },
  };
}

/** The entries of one name, newest first; a missing or unreadable file has none. */
function readEntries(path: string): Entry[] {
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Entry | Entry[];
    return (Array.isArray(stored) ? stored : [stored]).filter((entry) => typeof entry?.key === 'string' && typeof entry.result === 'string');
  } catch {
    return [];
  }
}

function disabled(): boolean {
  return process.env.AGENTAPI_KIT_NO_FORMAT_CACHE === '1';
}

/**
 * The installed version of `tool`, looked up the way Node resolves it from here: in a checkout it
 * sits in this package's node_modules/, in a user's project npm hoists it beside agentapi-kit.
 */
export function toolVersion(tool: string): string {
  for (const dir of createRequire(import.meta.url).resolve.paths(tool) ?? []) {
    try {
      return String(JSON.parse(readFileSync(join(dir, ...tool.split('/'), 'package.json'), 'utf8')).version);
    } catch {
      // not in this node_modules; try the next one up
    }
  }
  return 'unknown';
}
