/**
 * What scenarios expect, built from the log lines of src/contract (the templates print the same
 * ones) and the checks: a skip, a capture that failed, a posted snapshot.
 */
import { type LogLineName, logLinePattern } from '../contract/log-lines.ts';
import {
  agentapiNotAsked,
  lastUploadStatus,
  noSnapshotStored,
  payloadsWithinLimit,
  processKilled,
  processTerminated,
  saysWhyNotPosted,
  sigtermAfterSnapshot,
  noSigusr1,
  sigusr1BeforeSnapshot,
  storedLastMessages,
  uploadMatchesPolicy,
  uploadsCarryToken,
  uploadsUseRoute,
} from './checks.ts';
import type { Check, ScenarioExpectations } from './scenario-types.ts';

/** The contract's log lines as patterns (placeholders match any value). */
export const LOG = Object.fromEntries(
  (
    [
      'shuttingDown',
      'snapshotDisabled',
      'noTaskId',
      'retrieved',
      'truncating',
      'posted',
      'notSupported',
      'routeMissing',
      'taskNotFound',
      'retryAfterPastDeadline',
      'captureFailed',
      'sigusr1',
      'sigterm',
      'complete',
    ] as const
  ).map(
    (name: LogLineName) => [name, logLinePattern(name)],
  ),
) as Record<LogLineName, RegExp>;

/** An `Error: ...` line (the script's own prefix for failures; not part of the contract's lines). */
export const ERROR_LINE = /^Error: /m;

/** The warning when AgentAPI outlives SIGTERM (the wording is the script's own; no tooling looks for it). */
export const KILL_WARNING = /^Warning: .*(SIGKILL|still running)/m;

/** Lines every run ends with when AgentAPI is running: the snapshot step never stops the shutdown. */
export const SHUTDOWN_LINES: ReadonlyArray<RegExp> = [LOG.shuttingDown, LOG.sigterm, LOG.complete];

/** Lines and checks about AgentAPI's process, which hold whatever happens to the snapshot. */
export const PROCESS_LINES: ReadonlyArray<string | RegExp> = [LOG.shuttingDown, LOG.sigterm, LOG.sigusr1, LOG.complete, KILL_WARNING];
export const PROCESS_CHECKS: ReadonlySet<Check> = new Set([processTerminated, processKilled, sigusr1BeforeSnapshot, noSigusr1]);

export function expectSkipped(line: RegExp, extra: Partial<ScenarioExpectations> = {}): ScenarioExpectations {
  return {
    present: [...SHUTDOWN_LINES, line],
    absent: [LOG.posted, LOG.captureFailed],
    coderdPosts: 0,
    checks: [noSnapshotStored, processTerminated],
    ...extra,
  };
}

export function expectCaptureFailed(posts: ScenarioExpectations['coderdPosts'], extra: Partial<ScenarioExpectations> = {}): ScenarioExpectations {
  return {
    present: [...SHUTDOWN_LINES, LOG.captureFailed],
    absent: [LOG.posted],
    coderdPosts: posts,
    checks: [noSnapshotStored, processTerminated, sigtermAfterSnapshot],
    ...extra,
  };
}

export function expectPosted(posts: number, extra: Check[] = [storedLastMessages]): ScenarioExpectations {
  return {
    present: [...SHUTDOWN_LINES, LOG.retrieved, LOG.posted],
    absent: [LOG.captureFailed, ERROR_LINE],
    coderdPosts: posts,
    checks: [...extra, uploadMatchesPolicy, payloadsWithinLimit, uploadsCarryToken, uploadsUseRoute, lastUploadStatus(204), processTerminated, sigtermAfterSnapshot],
  };
}

/** No upload happened, the snapshot step said why, and shutdown still completed. */
export function expectNoUpload(extra: Partial<ScenarioExpectations> = {}): ScenarioExpectations {
  return {
    present: [...SHUTDOWN_LINES],
    absent: [LOG.posted],
    coderdPosts: 0,
    checks: [noSnapshotStored, processTerminated, saysWhyNotPosted],
    ...extra,
  };
}

/** `base` with more present lines, absent lines and checks. */
export function plus(base: ScenarioExpectations, more: { present?: Array<string | RegExp>; absent?: Array<string | RegExp>; checks?: Check[]; stderr?: Array<string | RegExp> }): ScenarioExpectations {
  return {
    ...base,
    present: [...(base.present ?? []), ...(more.present ?? [])],
    absent: [...(base.absent ?? []), ...(more.absent ?? [])],
    stderr: [...(base.stderr ?? []), ...(more.stderr ?? [])],
    checks: [...(base.checks ?? []), ...(more.checks ?? [])],
  };
}

/**
 * The busybox toolbox has no curl, only BusyBox wget, which can pass the agent token only in its
 * argv (visible to every process). The script refuses that unless ARG_ALLOW_TOKEN_IN_ARGV=true
 * (docs: the can_post_token comment in the script): an Error line, the capture fails, nothing
 * is fetched or posted, and the shutdown itself goes on unchanged.
 */
export function busyboxRefusesToken(expect: ScenarioExpectations): ScenarioExpectations {
  // A skip decided before any request (e.g. the module's snapshot default is off) needs no client.
  if (expect.present?.some((line) => line === LOG.snapshotDisabled || line === LOG.noTaskId)) return expect;
  return {
    present: [...(expect.present ?? []).filter((line) => PROCESS_LINES.includes(line)), LOG.captureFailed],
    absent: [LOG.posted, LOG.retrieved],
    stderr: [/^Error: Only BusyBox wget is available/m],
    coderdPosts: 0,
    checks: [noSnapshotStored, agentapiNotAsked, ...(expect.checks ?? []).filter((check) => PROCESS_CHECKS.has(check))],
  };
}
