import { spawnSync } from 'node:child_process';
import { parse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HAND_OFF_COMMAND, handOffArgv, handOffBody, handOffTerraform, readHandOff, splitPayload } from '../../src/contract/hand-off.ts';
import { type EvalContext, evaluateJson } from '../../src/agent-simulation/hcl-eval.ts';

/** An evaluation context with one local, `local.payload`. */
function payloadContext(payload: string): EvalContext {
  const refuse = (what: string) => () => {
    throw new Error(`the body refers to ${what}`);
  };
  return {
    pathModule: '.',
    variable: refuse('a variable'),
    local: (name) => {
      if (name !== 'payload') throw new Error(`the body refers to local.${name}`);
      return payload;
    },
    data: refuse('a data source'),
  };
}

describe('the coder_script hand-off', () => {
  it('reads back the file name and payload it wrote, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (payload) => {
        expect(readHandOff(handOffBody('agentapi-start.sh', payload))).toEqual({ fileName: 'agentapi-start.sh', payload });
      }),
    );
  });

  it('writes in Terraform text the same bytes it writes itself, once Terraform\'s template is evaluated', async () => {
    const parsed = (await parse('body.tf', `locals {\n  body = ${handOffTerraform('agentapi-shutdown.sh', '${local.payload}')}\n}\n`)) as { locals: Array<{ body: unknown }> };
    const payload = "ARG_X='it'\\''s'\n#!/bin/sh\necho \"$HOME\" \\ done\n";
    expect(evaluateJson(parsed.locals[0]?.body, payloadContext(payload))).toBe(handOffBody('agentapi-shutdown.sh', payload));
  });

  it('hands /bin/sh the script under its file name as $0, with no positional parameters', () => {
    const body = handOffBody('agentapi-start.sh', 'printf "%s %s\\n" "$0" "$#"\n');
    const result = spawnSync('/bin/sh', ['-c', body], { encoding: 'utf8' });
    expect(result.stdout).toBe('agentapi-start.sh 0\n');
    expect(handOffArgv(body).slice(0, 3)).toEqual(['-c', HAND_OFF_COMMAND, 'agentapi-start.sh']);
  });

  it('reads no other shape, an older hand-off included', () => {
    const word = Buffer.from('echo hi').toString('base64');
    for (const body of [
      "sh -c 'echo hi'",
      `/bin/sh -c 'eval "$(printf %s "$0" | base64 -d)"' agentapi-shutdown ${word}`,
      `/bin/sh -c 'eval "set --; $(printf %s "$1" | base64 -d)"' a;b ${word}`,
      `/bin/sh -c 'eval "set --; $(printf %s "$1" | base64 -d)"' agentapi-shutdown.sh ${word} extra`,
      `${handOffBody('agentapi-shutdown.sh', 'echo hi')}\n`,
      `/bin/sh -c 'eval "set --; $(printf %s "$1" | base64 -d)"' agentapi-shutdown.sh ${word.slice(0, -1)}`,
    ]) {
      expect(() => readHandOff(body), body).toThrow(/does not have the shape/);
      expect(() => handOffArgv(body), body).toThrow(/does not have the shape/);
    }
  });

  it('refuses a file name a shell would read as more than a word', () => {
    expect(() => handOffBody('a b.sh', 'x')).toThrow('script file name "a b.sh" is not letters, digits and ._- only');
    expect(() => handOffTerraform('$(x).sh', '${local.payload}')).toThrow(/is not letters, digits/);
  });

  it('splits a payload into the ARG_* inputs and the script it ends with', () => {
    expect(splitPayload("ARG_A='1'\n#!/bin/sh\n:\n", '#!/bin/sh\n:\n')).toEqual({ inputs: "ARG_A='1'\n", script: '#!/bin/sh\n:\n' });
    expect(() => splitPayload("ARG_A='1'\n", '#!/bin/sh\n')).toThrow('coder_script payload does not end with the script file');
  });
});
