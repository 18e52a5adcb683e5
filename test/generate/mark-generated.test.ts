import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { carriesNotice, markGenerated } from '../../src/generate/mark-generated.ts';
import { agentapiModuleSpec } from '../../src/generate/module-specs.ts';
import { templateLabel } from '../../src/generate/module-spec.ts';
import { renderModule } from '../../src/generate/render-module.ts';

const spec = agentapiModuleSpec(defaultConfig);
const files = await renderModule(spec);

describe('the generated notice at its exact place', () => {
  it.each(files.map((file) => [file.path, file] as const))('%s carries the notice for its own path', (path, file) => {
    expect(carriesNotice(path, templateLabel(spec.templateDir, path), file.content)).toBe(true);
  });

  it.each(files.map((file) => [file.path, file] as const))('%s, moved to another path, does not', (path, file) => {
    const other = path.replace(/([^/]+)$/, 'x-$1');
    expect(carriesNotice(other, templateLabel(spec.templateDir, other), file.content)).toBe(false);
  });

  it.each([
    ['main.tf', 'body\n'],
    ['scripts/a.sh', '#!/bin/sh\necho hi\n'],
    ['scripts/a.sh', 'echo hi\n'],
    ['README.md', '---\ntitle: x\n---\n\n# Hi\n'],
    ['README.md', '# Hi\n'],
  ])('%s: markGenerated and carriesNotice agree (%j)', (path, body) => {
    const label = `templates/t/${path}.hbs`;
    const marked = markGenerated(path, label, body);
    expect(carriesNotice(path, label, marked)).toBe(true);
    expect(carriesNotice(path, label, body)).toBe(false);
    expect(carriesNotice(path, `templates/u/${path}.hbs`, marked)).toBe(false);
    // The notice further down (a file quoting it) is not the notice.
    expect(carriesNotice(path, label, `${body}${marked}`)).toBe(false);
  });

  it('refuses a file format it cannot mark, naming the template', () => {
    expect(() => markGenerated('config.json', 'templates/t/config.json.hbs', '{}')).toThrow(/^templates\/t\/config\.json\.hbs: no generated-notice syntax for "\.json" files/);
  });
});
