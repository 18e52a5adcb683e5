import { describe, expect, it } from 'vitest';
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

  it('takes the script file out of a body: its base64 last word minus the ARG_* inputs', () => {
    const decoded = "ARG_TASK_ID='x'\nARG_PORT='1'\n#!/bin/sh\necho stop\n";
    const body = `/bin/sh -c 'eval "$(printf %s "$0" | base64 -d)"' agentapi-shutdown ${Buffer.from(decoded).toString('base64')}`;
    expect(scriptFile(body)).toBe('#!/bin/sh\necho stop\n');
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
