import { describe, expect, it } from 'vitest';
import { handOffBody } from '../../src/contract/hand-off.ts';
import { absolutizeModuleSources, scriptFile } from '../../src/harness/template-scripts.ts';
import { runCli } from '../helpers/cli.ts';
import { hasCommand } from '../helpers/commands.ts';

describe('template stop scripts', () => {
  it('points local module sources at the original template, leaving registry sources alone', () => {
    const text = 'module "a" {\n  source = "../../modules/agentapi"\n}\nmodule "b" {\n  source  = "registry.coder.com/coder/agentapi/coder"\n}\n';
    expect(absolutizeModuleSources(text, '/src/examples/task-template')).toBe(
      'module "a" {\n  source = "/src/modules/agentapi"\n}\nmodule "b" {\n  source  = "registry.coder.com/coder/agentapi/coder"\n}\n',
    );
  });

  it('takes the script file out of a hand-off body: its payload minus the ARG_* inputs', () => {
    const body = handOffBody('agentapi-shutdown.sh', "ARG_TASK_ID='x'\nARG_PORT='1'\n#!/bin/sh\necho stop\n");
    expect(scriptFile(body)).toBe('#!/bin/sh\necho stop\n');
  });

  it('runs a body of any other shape as it is, an older hand-off format included', () => {
    const older = `/bin/sh -c 'eval "$(printf %s "$0" | base64 -d)"' agentapi-shutdown ${Buffer.from("ARG_X='1'\n#!/bin/sh\necho stop\n").toString('base64')}`;
    expect(scriptFile(older)).toBe(older);
    expect(scriptFile('#!/bin/bash\necho other module\n')).toBe('#!/bin/bash\necho other module\n');
  });

  it.skipIf(!hasCommand('terraform'))('conformance --template runs the example template\'s rendered stop script (needs terraform)', () => {
    const result = runCli(['conformance', '--template', 'examples/task-template', '--scenarios', 'happy-path', '--shells', 'dash', '--toolboxes', 'full'], { timeoutMs: 280_000 });
    expect(result.stdout).toContain('running module.agentapi.coder_script.agentapi_shutdown as terraform rendered it');
    expect(result.stdout).toContain('1 passed, 0 failed');
    expect(result.status).toBe(0);
  }, 300_000);

  it('rejects --template together with --script', () => {
    const result = runCli(['conformance', '--template', 'examples/task-template', '--script', 'x.sh']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Error: --template renders its own scripts; it cannot be combined with --script or --module');
  });
});
