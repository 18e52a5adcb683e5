export { startMockAgentapi, type MockAgentapi, type MockAgentapiOptions } from './server.ts';
export { generateConversation, type GenerateConversationOptions } from './generate-conversation.ts';
export { PRESET_NAMES, DEFAULT_HUGE, isPresetName, presetConversation, type PresetName } from './presets.ts';
export { ConversationError, loadConversationFile, parseConversation, parseConversationText } from './conversation-file.ts';
export { AGENTAPI_FAULT_KINDS, validateAgentapiFault, type AgentapiFault, type AgentapiFaultKind } from './faults.ts';
export type { AgentapiMessage, AgentapiRole, AgentStatus, MessageInput } from './types.ts';
export { agentapiRelease, agentapiReleaseOrUndefined, DEFAULT_AGENTAPI_RELEASE, type AgentapiRelease } from './release.ts';
