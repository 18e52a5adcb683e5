/**
 * The values `agentapi server --type` accepts (AgentAPI v0.12: each agent's name, plus the aliases
 * `cursor-agent` and `q`, and `custom` for any other program). Any other value makes AgentAPI exit at
 * workspace start with "invalid agent type", so a spec naming one is rejected at generate.
 */
export const AGENT_TYPES = [
  'aider',
  'amazonq',
  'amp',
  'auggie',
  'claude',
  'codex',
  'copilot',
  'cursor',
  'cursor-agent',
  'custom',
  'gemini',
  'goose',
  'opencode',
  'q',
] as const;

export type AgentType = (typeof AGENT_TYPES)[number];
