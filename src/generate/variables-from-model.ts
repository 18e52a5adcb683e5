import type { GeneratedFile } from './render-module.ts';

/**
 * The interface model (src/module/) owns every variable of the agentapi module: main.tf writes them
 * from it, and agent modules, the construct and the docs read them from it. A `variable` block
 * written into the template by hand would reach main.tf alone, so rendering refuses it and says
 * where it belongs.
 */
export function assertVariablesFromModel(files: readonly GeneratedFile[], modelNames: readonly string[], template: string): void {
  const mainTf = files.find((file) => file.path === 'main.tf');
  if (mainTf === undefined) return;
  const known = new Set(modelNames);
  const handWritten = [...mainTf.content.matchAll(/^variable "([^"]+)"/gm)].map((match) => match[1]!).filter((name) => !known.has(name));
  if (handWritten.length === 0) return;
  const names = handWritten.map((name) => `"${name}"`).join(', ');
  throw new Error(
    `${template} declares variable ${names} by hand: declare ${handWritten.length === 1 ? 'it' : 'them'} in src/module/variables.ts (the interface model), which writes main.tf's variable blocks and passes them on to every agent module, the CDKTF construct and the README`,
  );
}
