import { formatHcl } from './format-hcl.ts';

/** A fenced ```tf or ```hcl block at the start of a line, up to its closing fence. */
const TF_BLOCK = /^```(tf|hcl)\n([\s\S]*?)^```$/gm;

/**
 * `terraform fmt` applied to every ```tf block of a Markdown text. The registry's prettier config
 * formats the code blocks of a README with Terraform's formatter (every ```tf block of its READMEs
 * is `terraform fmt`-clean), so an unaligned usage example fails its `prettier --check`.
 */
export async function formatTfBlocks(markdown: string, cacheName: string): Promise<string> {
  const blocks = [...markdown.matchAll(TF_BLOCK)];
  if (blocks.length === 0) return markdown;
  let result = '';
  let at = 0;
  for (const [index, block] of blocks.entries()) {
    const [whole, lang, code] = block as unknown as [string, string, string];
    const formatted = await formatHcl(code, `${cacheName}#${lang}-${index + 1}`).catch((error: Error) => {
      throw new Error(`${cacheName}: the ${ordinal(index + 1)} \`\`\`${lang} block ${error.message.replace(/^rendered \S+ /, '')}`);
    });
    result += `${markdown.slice(at, block.index)}\`\`\`${lang}\n${formatted}\`\`\``;
    at = block.index + whole.length;
  }
  return result + markdown.slice(at);
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
