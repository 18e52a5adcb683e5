import type { RecordedRequest } from '../shared/request-log.ts';
import type { CoderdFaultSlot } from './faults.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { CoderdStore } from './store.ts';

/** Everything the mock coderd's routes read and change. */
export interface CoderdContext {
  store: CoderdStore;
  fault: CoderdFaultSlot;
  rateLimiter: RateLimiter;
  settings: {
    /** Act like a Coder without the upload route (before v2.30, v2.37 with Tasks off, v2.38+): 404 Route not found. */
    routeMissing: boolean;
    /** Whether the logs route serves stored snapshots (from v2.30); without, non-active tasks get 409. */
    snapshotRead: boolean;
    /** Whether `/api/v2/tasks/...` exists at all (not in v2.37 with Tasks off, nor v2.38+). */
    tasksApi: boolean;
    /** AgentAPI base URL that active tasks' logs are read from live; none means empty logs. */
    liveAgentapiUrl: string | null;
  };
  requests: RecordedRequest[];
}
