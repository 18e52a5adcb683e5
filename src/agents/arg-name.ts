/** The shell name a non-sensitive variable of an agent spec has in the module's scripts. */
export function argName(variableName: string): string {
  return `ARG_${variableName.toUpperCase()}`;
}
