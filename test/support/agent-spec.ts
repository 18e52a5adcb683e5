import { expect } from 'vitest';
import { AgentSpecError, parseAgentSpec } from '../../src/agents/load-spec.ts';

/** The smallest spec that validates: tests add the field under test to it. */
export const MINIMAL_SPEC = `
slug: demo
displayName: Demo
description: A demo agent.
icon: /icon/code.svg
agentType: custom
start: { command: [demo] }
`;

/** The message of the one AgentSpecError a spec text gives, read as `spec.yaml`; a spec accepted fails the test. */
export function specErrorOf(text: string): string {
  try {
    parseAgentSpec(text, 'spec.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(AgentSpecError);
    return (error as Error).message;
  }
  throw new Error('the spec was accepted');
}
