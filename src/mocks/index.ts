/** The mock servers: import from here (library API) or run them with `agentapi-kit mock agentapi|coderd`. */
export * from './agentapi/index.ts';
export * from './coderd/index.ts';
export type { RecordedRequest } from './shared/request-log.ts';
