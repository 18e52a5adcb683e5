import { describe, expect, it } from 'vitest';
import { handOffBody } from '../../src/contract/hand-off.ts';
import { scriptFile } from '../../src/agent-simulation/template-scripts.ts';
import { runCli } from '../support/cli.ts';

describe('template stop scripts', () => {
  it('takes the script file out of a hand-off body: its payload minus the ARG_* inputs', () => {
    const body = handOffBody('agentapi-shutdown.sh', "ARG_TASK_ID='x'\nARG_PORT='1'\n#!/bin/sh\necho stop\n");
    expect(scriptFile(body)).toBe('#!/bin/sh\necho stop\n');
  });

  it('runs a body of any other shape as it is, an older hand-off format included', () => {
    const older = `/bin/sh -c 'eval "$(printf %s "$0" | base64 -d)"' agentapi-shutdown ${Buffer.from("ARG_X='1'\n#!/bin/sh\necho stop\n").toString('base64')}`;
    expect(scriptFile(older)).toBe(older);
    expect(scriptFile('#!/bin/bash\necho other module\n')).toBe('#!/bin/bash\necho other module\n');
  });

  it('rejects --template together with --script', () => {
    const result = runCli(['conformance', '--template', 'examples/task-template', '--script', 'x.sh']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Error: --template renders its own scripts; it cannot be combined with --script or --module');
  });
});
