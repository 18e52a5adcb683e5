// docs/architecture.md lists the script inputs main.tf passes; the list must be the model's.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENTAPI_INTERFACE, scriptInputDocs } from '../../src/module/index.ts';

const ARCHITECTURE = resolve(import.meta.dirname, '../../docs/architecture.md');

describe('docs/architecture.md', () => {
  it('lists exactly the model\'s script inputs, in order (paste scriptInputDocs() between the markers)', async () => {
    const text = await readFile(ARCHITECTURE, 'utf8');
    const section = /<!-- script-inputs:start -->\n([\s\S]*?)\n<!-- script-inputs:end -->/.exec(text);
    expect(section, 'the script-inputs markers').not.toBeNull();
    expect(section?.[1]).toBe(scriptInputDocs(AGENTAPI_INTERFACE));
  });
});
