/** The module README's inputs table. */
import { argsFedBy } from './script-docs.ts';
import { declaredIn, defaultOf, describeVariable, isRequired } from './lookup.ts';
import type { DescribeContext, ModuleInterface, ModuleVariable, TaskIdMode } from './types.ts';

export interface TableContext extends DescribeContext {
  readonly mode: TaskIdMode;
  readonly configValue: (group: string, key: string) => unknown;
}

/** Markdown table cell text: pipes escaped, angle brackets kept literal. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function defaultCell(variable: ModuleVariable, context: TableContext): string {
  if (isRequired(variable)) return 'required';
  const value = defaultOf(variable, context.configValue);
  return `\`${value === null ? 'null' : JSON.stringify(value)}\``;
}

function argsCell(model: ModuleInterface, variable: ModuleVariable): string {
  const { start, shutdown } = argsFedBy(model, variable.name);
  const both = start.filter((arg) => shutdown.includes(arg));
  const parts = [
    ...both.map((arg) => `\`${arg}\` (both)`),
    ...start.filter((arg) => !both.includes(arg)).map((arg) => `\`${arg}\` (start)`),
    ...shutdown.filter((arg) => !both.includes(arg)).map((arg) => `\`${arg}\` (shutdown)`),
  ];
  return parts.join(', ');
}

export function inputsTable(model: ModuleInterface, context: TableContext): string {
  const rows = model.variables
    .filter((variable) => declaredIn(variable, context.mode))
    .map((variable) => {
      const name = `\`${variable.name}\`${variable.addition === true ? ' (addition)' : ''}`;
      return `| ${name} | ${variable.type} | ${defaultCell(variable, context)} | ${argsCell(model, variable)} | ${cell(describeVariable(variable, context))} |`;
    });
  return ['| variable | type | default | script input | description |', '|---|---|---|---|---|', ...rows].join('\n');
}
