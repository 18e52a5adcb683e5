import { describe, expect, it } from 'vitest';
import { scriptFile } from '../../src/harness/template-scripts.ts';
import { runCli } from '../helpers/cli.ts';

describe('template stop scripts', () => {
  it('takes the script file out of a body: its base64 last word minus the ARG_* inputs', () => {
    const decoded = "ARG_TASK_ID='x'\nARG_PORT='1'\n#!/bin/sh\necho stop\n";
    const body = `/bin/sh -c 'eval "$(printf %s "$0" | base64 -d)"' agentapi-shutdown ${Buffer.from(decoded).toString('base64')}`;
    expect(scriptFile(body)).toBe('#!/bin/sh\necho stop\n');
  });

  it('rejects --template together with --script', () => {
    const result = runCli(['conformance', '--template', 'examples/task-template', '--script', 'x.sh']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Error: --template renders its own scripts; it cannot be combined with --script or --module');
  });
});
