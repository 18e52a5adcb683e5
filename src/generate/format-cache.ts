/** The formatter's results by file name (text-cache.ts); a hit never loads the WASM formatter. */
import { textCache } from './text-cache.ts';

const cache = textCache('hcl-format', '@cdktf/hcl-tools');

export function cacheEntryPath(fileName: string): string {
  return cache.entryPath(fileName);
}

export function cachedFormat(fileName: string, text: string): string | undefined {
  return cache.get(fileName, text);
}

export function rememberFormat(fileName: string, text: string, formatted: string): void {
  cache.set(fileName, text, formatted);
}
