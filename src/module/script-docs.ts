/** The script inputs in words: docs/architecture.md's list is checked against this text. */
import type { ModuleInterface, ScriptInput } from './types.ts';

/** Whether the input carries the variable, directly or through a local computed from it. */
export function inputReads(input: ScriptInput, variable: string): boolean {
  return 'variable' in input.from ? input.from.variable === variable : input.from.reads.includes(variable);
}

/** The `ARG_*` names a variable feeds, per script. */
export function argsFedBy(model: ModuleInterface, variable: string): { start: string[]; shutdown: string[] } {
  const fed = (inputs: readonly ScriptInput[]) => inputs.filter((input) => inputReads(input, variable)).map((input) => input.arg);
  return { start: fed(model.startInputs), shutdown: fed(model.shutdownInputs) };
}

function describeInput(input: ScriptInput): string {
  const source = 'variable' in input.from ? `var.${input.from.variable}` : `local.${input.from.local}`;
  return `| \`${input.arg}\` | \`${source}\` | ${input.quoting === 'raw' ? 'as is' : 'single-quoted'} |`;
}

/**
 * The markdown tables of docs/architecture.md's "Script inputs from Terraform" section, one per
 * script, in main.tf's order.
 */
export function scriptInputDocs(model: ModuleInterface): string {
  const table = (title: string, inputs: readonly ScriptInput[]) =>
    [`${title}:`, '', '| input | from | how |', '|---|---|---|', ...inputs.map(describeInput)].join('\n');
  return [table('Start script', model.startInputs), table('Shutdown script', model.shutdownInputs)].join('\n\n');
}
