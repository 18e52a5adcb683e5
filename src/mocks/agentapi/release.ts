/**
 * What each AgentAPI release answers, from its source: `agent_type` in `GET /status` arrived in
 * v0.10.1, `transport` (with state persistence and the PID file) in v0.12.0.
 */

/** The release the mock stands for when none is named: the latest. */
export const DEFAULT_AGENTAPI_RELEASE = 'v0.12.1';

export interface AgentapiRelease {
  /** As given, e.g. `v0.10.0`. */
  name: string;
  statusHasAgentType: boolean;
  statusHasTransport: boolean;
  /**
   * SIGUSR1 saves state and SIGTERM/SIGINT/SIGHUP shut down in stages (v0.12.0 on); before,
   * AgentAPI installs no handlers and any of them ends it at once.
   */
  handlesSignals: boolean;
}

/** `v0.10.0` or `0.10.0` (a `-pre`/`+build` suffix is ignored); throws on anything else. */
export function agentapiRelease(name: string): AgentapiRelease {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(name);
  if (match === null) throw new Error(`AgentAPI release ${JSON.stringify(name)} is not a version like v0.12.1`);
  const version = match.slice(1, 4).map(Number) as [number, number, number];
  const v012 = atLeast(version, [0, 12, 0]);
  return { name, statusHasAgentType: atLeast(version, [0, 10, 1]), statusHasTransport: v012, handlesSignals: v012 };
}

/** The release a version names, or undefined when it is not a version ("latest", a branch). */
export function agentapiReleaseOrUndefined(name: string): AgentapiRelease | undefined {
  try {
    return agentapiRelease(name);
  } catch {
    return undefined;
  }
}

function atLeast(have: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i += 1) {
    if (have[i] !== min[i]) return (have[i] ?? 0) > (min[i] ?? 0);
  }
  return true;
}
