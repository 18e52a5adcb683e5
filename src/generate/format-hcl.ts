import { textCache } from './text-cache.ts';

/** The formatter's last result per file name (text-cache.ts): a hit never loads the WASM formatter. */
export const formatCache = textCache('hcl-format', '@cdktf/hcl-tools');

/** Canonical `terraform fmt` layout, so generated HCL diffs cleanly against hand-written modules. */
export async function formatHcl(text: string, fileName: string): Promise<string> {
  const cached = formatCache.get(fileName, text);
  if (cached !== undefined) return cached;
  // Imported here, not at the top: a cache hit never loads the WASM formatter.
  const { format } = await import('@cdktf/hcl-tools');
  try {
    const formatted = await format(text);
    formatCache.set(fileName, text, formatted);
    return formatted;
  } catch (error) {
    throw new Error(`rendered ${fileName} is not valid HCL: ${(error as Error).message}`);
  }
}
