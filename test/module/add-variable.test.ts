// Adding a variable to the model adds it to the Terraform, the construct, the README table
// and the docs' input list, with no other edit. The fixture is today's model plus one variable.
import { describe, expect, it } from 'vitest';
import { toModuleVariables } from '../../src/cdktf/index.ts';
import { AGENTAPI_INTERFACE, scriptInputDocs, type ModuleInterface, type ModuleVariable } from '../../src/module/index.ts';
import { allLocals } from '../support/module.ts';
import { renderWith } from '../support/render-with.ts';
import { REQUIRED_PROPS } from '../support/cdktf-props.ts';

const NEW_VARIABLE: ModuleVariable<'number'> = {
  name: 'extra_wait',
  type: 'number',
  description: 'Seconds of a knob that does not exist yet.',
  default: 7,
  validations: [
    {
      condition: 'try(var.extra_wait >= 0 && var.extra_wait <= 9, false)',
      errorMessage: 'extra_wait must be from 0 to 9.',
      accepts: (value: number) => value >= 0 && value <= 9,
    },
  ],
};

const EXTENDED: ModuleInterface = {
  ...AGENTAPI_INTERFACE,
  variables: [...AGENTAPI_INTERFACE.variables, NEW_VARIABLE],
  startInputs: [...AGENTAPI_INTERFACE.startInputs, { arg: 'ARG_EXTRA_WAIT', from: { variable: 'extra_wait' }, quoting: 'raw' }],
};

const REQUIRED = REQUIRED_PROPS;

describe('a variable added to the model', async () => {
  const { mainTf, readme } = await renderWith(EXTENDED);

  it('is a Terraform variable with its type, default, description and validation', () => {
    expect(mainTf.variable.extra_wait?.[0]).toEqual({
      type: '${number}',
      default: 7,
      description: 'Seconds of a knob that does not exist yet.',
      validation: [{ condition: '${try(var.extra_wait >= 0 && var.extra_wait <= 9, false)}', error_message: 'extra_wait must be from 0 to 9.' }],
    });
  });

  it('reaches the start script as its ARG_*', () => {
    expect(String(allLocals(mainTf).start_inputs)).toContain("ARG_EXTRA_WAIT='${var.extra_wait}'\n");
    expect(String(allLocals(mainTf).shutdown_inputs)).not.toContain('ARG_EXTRA_WAIT');
  });

  it('is a row of the module README\'s inputs table', () => {
    expect(readme).toContain('| `extra_wait` | number | `7` | `ARG_EXTRA_WAIT` (start) | Seconds of a knob that does not exist yet. |');
  });

  it('is a prop of the construct, checked by its validation', () => {
    expect(toModuleVariables({ ...REQUIRED, extraWait: 3 } as never, EXTENDED)).toMatchObject({ extra_wait: 3 });
    expect(() => toModuleVariables({ ...REQUIRED, extraWait: 12 } as never, EXTENDED)).toThrow(/extraWait \(extra_wait\) extra_wait must be from 0 to 9\. Got number 12/);
    expect(() => toModuleVariables({ ...REQUIRED, extraWait: 3 } as never)).toThrow(/extraWait is not a prop/);
  });

  it('is in the script-input list of docs/architecture.md', () => {
    expect(scriptInputDocs(EXTENDED)).toContain('| `ARG_EXTRA_WAIT` | `var.extra_wait` | as is |');
  });
});
