import type { AgentapiModuleProps } from '../../src/cdktf/index.ts';

/** The construct's required props, with values a template author would write. */
export const REQUIRED_PROPS: AgentapiModuleProps = {
  agentId: 'agent-1',
  webAppIcon: '/icon/claude.svg',
  webAppDisplayName: 'Claude Code',
  webAppSlug: 'claude',
  cliAppDisplayName: 'Claude CLI',
  cliAppSlug: 'claude-cli',
  startScript: 'exec agentapi server -- claude',
  moduleDirName: '.claude-module',
};
