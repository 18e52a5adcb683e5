import { SHUTDOWN_INPUTS, START_INPUTS } from './script-inputs.ts';
import type { ModuleOutput, ScriptInput } from './types.ts';

/** Script texts the start script gets: long, and the template's own text, so left out of the readable inputs. */
const SCRIPT_TEXTS = new Set(['ARG_PRE_INSTALL_SCRIPT', 'ARG_INSTALL_SCRIPT', 'ARG_POST_INSTALL_SCRIPT', 'ARG_START_SCRIPT']);

/** `{ ARG_X = var.x, ... }`: the inputs as Terraform values, for a plan to show. */
function inputsObject(inputs: readonly ScriptInput[], indent: string): string {
  const lines = inputs.filter((input) => !SCRIPT_TEXTS.has(input.arg)).map((input) => `${indent}  ${input.arg} = ${'variable' in input.from ? `var.${input.from.variable}` : `local.${input.from.local}`}`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

export const AGENTAPI_OUTPUTS: readonly ModuleOutput[] = [
  {
    name: 'task_app_id',
    value: 'local.web_app ? coder_app.agentapi_web[0].id : ""',
    description: "The web app's ID, what `coder_ai_task.app_id` takes; empty without the web app.",
  },
  {
    name: 'script_inputs',
    value: `{\n    start    = ${inputsObject(START_INPUTS, '    ')}\n    shutdown = ${inputsObject(SHUTDOWN_INPUTS, '    ')}\n  }`,
    description:
      "The `ARG_*` inputs each coder_script body carries (base64, so unreadable in a plan), as readable values; the start script's four script texts are left out. Re-export it from the template (`output \"agentapi_script_inputs\" { value = module.agentapi.script_inputs }`) and `terraform plan` shows them.",
  },
];
