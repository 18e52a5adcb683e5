import { formatTfBlocks } from './format-tf-blocks.ts';
import { withShSyntaxRuntime } from './sh-syntax-go.ts';
import { textCache } from './text-cache.ts';

/**
 * The packages whose versions decide prettier's output: pinned in package.json to the versions the
 * registry's lock file has, since its CI runs `prettier --check .` and wants exactly their bytes.
 */
export const PRETTIER_PACKAGES = ['prettier', 'prettier-plugin-sh', 'sh-syntax'] as const;

/** prettier's last result per file name (text-cache.ts): a hit never loads prettier nor its WASM shell parser. */
export const prettierCache = textCache('prettier', PRETTIER_PACKAGES);

/** The files the registry's prettier check covers and generate formats the same way. */
export function prettierFormats(outputPath: string): boolean {
  return /\.(sh|md)$/.test(outputPath);
}

/**
 * A rendered `.sh` or `.md` file as the registry's `prettier --check .` wants it: prettier 3 with
 * prettier-plugin-sh and no options of its own (so `.sh` files get 2-space indentation and Markdown
 * tables are aligned), the ```tf blocks of a README formatted by `terraform fmt` as the registry's
 * Terraform plugin does. The file's name picks the parser, as it does for the prettier CLI.
 */
export async function formatWithPrettier(text: string, outputPath: string, cacheName: string): Promise<string> {
  const memoKey = `${cacheName}\0${text}`;
  const remembered = thisProcess.get(memoKey);
  if (remembered !== undefined) return remembered;
  const formatted = prettierCache.get(cacheName, text) ?? (await formatUncached(text, outputPath, cacheName));
  remember(memoKey, formatted);
  return formatted;
}

/**
 * This process's results too: `generate` renders the agentapi module twice (for the agent modules'
 * pass-through, then to write it), and a large script takes prettier's shell parser about half a
 * second, even where the disk cache is off or cannot be written. Bounded, oldest first out.
 */
const thisProcess = new Map<string, string>();
const PROCESS_ENTRIES = 64;

function remember(key: string, formatted: string): void {
  thisProcess.set(key, formatted);
  if (thisProcess.size > PROCESS_ENTRIES) thisProcess.delete(thisProcess.keys().next().value!);
}

async function formatUncached(text: string, outputPath: string, cacheName: string): Promise<string> {
  const input = outputPath.endsWith('.md') ? await formatTfBlocks(text, cacheName) : text;
  // Imported here, not at the top: a cache hit never loads prettier.
  const [prettier, shPlugin] = await Promise.all([import('prettier'), import('prettier-plugin-sh')]);
  let formatted: string;
  try {
    formatted = await withShSyntaxRuntime(() => prettier.format(input, { filepath: outputPath, plugins: [shPlugin] }));
  } catch (error) {
    throw new Error(`rendered ${cacheName} cannot be formatted by prettier: ${firstLine((error as Error).message)}`);
  }
  prettierCache.set(cacheName, text, formatted);
  return formatted;
}

/** Whether `text` is already exactly what `formatWithPrettier` would make of it (tests, checks). */
export async function isPrettierFormatted(text: string, outputPath: string): Promise<boolean> {
  const [prettier, shPlugin] = await Promise.all([import('prettier'), import('prettier-plugin-sh')]);
  return withShSyntaxRuntime(() => prettier.check(text, { filepath: outputPath, plugins: [shPlugin] }));
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
