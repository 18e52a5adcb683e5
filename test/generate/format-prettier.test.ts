import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatWithPrettier, prettierCache } from '../../src/generate/format-prettier.ts';

describe('generate-time prettier (the registry\'s prettier-plugin-sh style)', () => {
  const name = `prettier-test-${process.pid}`;
  const names = ['sh', 'md', 'tf', 'bad', 'bad-tf', 'heredoc', 'hit'].map((suffix) => `${name}-${suffix}`);
  afterAll(() => {
    for (const entry of names) rmSync(prettierCache.entryPath(entry), { force: true });
    for (const entry of names) for (const block of [1, 2]) rmSync(prettierCache.entryPath(`${entry}#tf-${block}`), { force: true });
  });

  it('indents shell with 2 spaces and puts && at the start of a continued line', async () => {
    const text = '#!/bin/sh\n# notice\nmain() {\n\tif true &&\n\t\ttrue; then\n\t\techo hi >&2\n\tfi\n}\n';
    expect(await formatWithPrettier(text, 'scripts/a.sh', `${name}-sh`)).toBe('#!/bin/sh\n# notice\nmain() {\n  if true \\\n    && true; then\n    echo hi >&2\n  fi\n}\n');
  });

  it('keeps the tabs of a <<- here-document body, which the shell strips', async () => {
    const text = 'f() {\n\tcat <<-EOF\n\t\thello\n\tEOF\n}\n';
    expect(await formatWithPrettier(text, 'scripts/a.sh', `${name}-heredoc`)).toBe('f() {\n  cat <<- EOF\n\t\thello\n\tEOF\n}\n');
  });

  it('aligns Markdown tables and keeps a comment in the front matter', async () => {
    const text = '---\n# notice\ntags: [a]\n---\n\n# T\n\n| a | bb |\n|---|---|\n| ccc | d |\n';
    expect(await formatWithPrettier(text, 'README.md', `${name}-md`)).toBe('---\n# notice\ntags: [a]\n---\n\n# T\n\n| a   | bb  |\n| --- | --- |\n| ccc | d   |\n');
  });

  it('formats a README\'s ```tf blocks as terraform fmt does', async () => {
    const text = '# T\n\n```tf\nmodule "x" {\n  source = "s"\n  version   =   "1.0.0"\n}\n```\n';
    expect(await formatWithPrettier(text, 'README.md', `${name}-tf`)).toBe('# T\n\n```tf\nmodule "x" {\n  source  = "s"\n  version = "1.0.0"\n}\n```\n');
  });

  it('names the file when the shell cannot be parsed', async () => {
    await expect(formatWithPrettier('if then fi\n', 'scripts/a.sh', `${name}-bad`)).rejects.toThrow(new RegExp(`^rendered ${name}-bad cannot be formatted by prettier: "if" must be followed by a statement list`));
  });

  it('formats shell after the HCL formatter has started (the two WASM tools share the global Go runtime name)', async () => {
    await formatWithPrettier('# T\n\n```tf\na=1\n```\n', 'README.md', `${name}-md`);
    expect(await formatWithPrettier('echo   z\n', 'scripts/a.sh', `${name}-sh`)).toBe('echo z\n');
  });

  it('answers from its cache for the exact same text, without formatting again', async () => {
    prettierCache.set(`${name}-hit`, 'echo  x\n', 'from the cache\n');
    expect(await formatWithPrettier('echo  x\n', 'scripts/a.sh', `${name}-hit`)).toBe('from the cache\n');
    expect(await formatWithPrettier('echo  y\n', 'scripts/a.sh', `${name}-hit`)).toBe('echo y\n');
  });
});
