import { listenLocal } from '../shared/listen.ts';
import type { RecordedRequest } from '../shared/request-log.ts';
import { loadConversationFile } from './conversation-file.ts';
import { toConversation } from './conversation.ts';
import { type AgentapiFault, FaultSlot } from './faults.ts';
import { createAgentapiHandler } from './handler.ts';
import { DEFAULT_HUGE, type PresetName, presetConversation } from './presets.ts';
import { agentapiRelease, DEFAULT_AGENTAPI_RELEASE } from './release.ts';
import type { AgentapiState } from './state.ts';
import type { AgentapiMessage, AgentStatus, MessageInput } from './types.ts';

export interface MockAgentapiOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Conversation source, first match wins: `messages`, `conversationFile`, `preset`; default empty. */
  messages?: readonly MessageInput[];
  conversationFile?: string;
  preset?: PresetName;
  /** Size of the `huge` preset (default 2000 messages of 1024 bytes). */
  huge?: { count: number; size: number };
  fault?: AgentapiFault | null;
  /** `GET /status` answers (default `stable`, `claude`, `pty`). */
  status?: AgentStatus;
  agentType?: string;
  transport?: string;
  /**
   * The AgentAPI release to answer as (default v0.12.1): before v0.10.1 `GET /status` has no
   * `agent_type`, before v0.12.0 no `transport`.
   */
  release?: string;
}

export interface MockAgentapi {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Replaces the conversation; ids become positions, missing times are filled. */
  setMessages(messages: readonly MessageInput[]): void;
  /** A copy of the conversation as `GET /messages` serves it. */
  messages(): AgentapiMessage[];
  setFault(fault: AgentapiFault | null): void;
  fault(): AgentapiFault | null;
  setStatus(status: AgentStatus): void;
  /** Every non-admin request so far, oldest first. */
  requests(): RecordedRequest[];
  clearRequests(): void;
}

/** Starts a faithful AgentAPI double on 127.0.0.1 (src/mocks/README.md says where it differs). */
export async function startMockAgentapi(options: MockAgentapiOptions = {}): Promise<MockAgentapi> {
  const fault = new FaultSlot();
  fault.set(options.fault ?? null);
  const state: AgentapiState = {
    messages: toConversation(await initialMessages(options)),
    status: options.status ?? 'stable',
    agentType: options.agentType ?? 'claude',
    transport: options.transport ?? 'pty',
    release: agentapiRelease(options.release ?? DEFAULT_AGENTAPI_RELEASE),
    fault,
    requests: [],
    fallbackHost: '127.0.0.1',
  };
  const local = await listenLocal(createAgentapiHandler(state), options.port ?? 0);
  state.fallbackHost = `127.0.0.1:${local.port}`;
  return {
    url: local.url,
    port: local.port,
    close: () => local.close(),
    setMessages: (messages) => {
      state.messages = toConversation(messages);
    },
    messages: () => state.messages.map((message) => ({ ...message })),
    setFault: (next) => fault.set(next),
    fault: () => fault.get(),
    setStatus: (status) => {
      state.status = status;
    },
    requests: () => state.requests.map((record) => structuredClone(record)),
    clearRequests: () => {
      state.requests.length = 0;
    },
  };
}

async function initialMessages(options: MockAgentapiOptions): Promise<readonly MessageInput[]> {
  if (options.messages !== undefined) return options.messages;
  if (options.conversationFile !== undefined) return loadConversationFile(options.conversationFile);
  if (options.preset !== undefined) return presetConversation(options.preset, options.huge ?? DEFAULT_HUGE);
  return [];
}
