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
    /** Act like a Coder without the route (older than the feature, or v2.37+): 404 Route not found. */
    routeMissing: boolean;
    /** AgentAPI base URL that active tasks' logs are read from live; none means empty logs. */
    liveAgentapiUrl: string | null;
  };
  requests: RecordedRequest[];
}
