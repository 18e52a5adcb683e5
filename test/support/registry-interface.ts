/** A registry module's variables, as the committed fixtures describe them (test/fixtures/registry-*-interface.json). */
export interface RegistryVariable {
  name: string;
  type: string;
  required?: boolean;
  default?: unknown;
}

/** A variable block as @cdktf/hcl2json gives it: the type as `${string}`, the default as a value. */
export interface DeclaredVariable {
  type?: unknown;
  default?: unknown;
}

/**
 * Where our module's variables differ from the registry's: a type, a default the registry does not
 * have, or a default where the registry requires a value. A registry variable we lack is not
 * listed here (the parity tests name missing ones separately).
 */
export function interfaceDifferences(registry: readonly RegistryVariable[], ours: ReadonlyMap<string, DeclaredVariable>): string[] {
  return registry.flatMap((expected) => {
    const block = ours.get(expected.name);
    if (block === undefined) return [];
    const type = String(block.type).replace(/^\$\{(.*)\}$/, '$1');
    const problems: string[] = [];
    if (type !== expected.type) problems.push(`${expected.name}: type ${type}, registry ${expected.type}`);
    if (expected.required === true && 'default' in block) problems.push(`${expected.name}: has a default, the registry requires it`);
    if (expected.required !== true && JSON.stringify(block.default) !== JSON.stringify(expected.default)) {
      problems.push(`${expected.name}: default ${JSON.stringify(block.default)}, registry ${JSON.stringify(expected.default)}`);
    }
    return problems;
  });
}
