import { cachedFormat, rememberFormat } from './format-cache.ts';

/** Canonical `terraform fmt` layout, so generated HCL diffs cleanly against hand-written modules. */
export async function formatHcl(text: string, fileName: string): Promise<string> {
  const cached = cachedFormat(fileName, text);
  if (cached !== undefined) return cached;
  // Imported here, not at the top: a cache hit never loads the WASM formatter.
  const { format } = await import('@cdktf/hcl-tools');
  try {
    const formatted = await format(text);
    rememberFormat(fileName, text, formatted);
    return formatted;
  } catch (error) {
    throw new Error(`rendered ${fileName} is not valid HCL: ${(error as Error).message}`);
  }
}
