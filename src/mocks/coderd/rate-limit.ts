import type { ServerResponse } from 'node:http';
import { writeMessage } from './respond.ts';
import type { RateLimitRule } from './types.ts';

const DEFAULT_WINDOW_MS = 60_000;

/** One key's counts: the current window's and the one before it (a sliding window counter). */
interface Bucket {
  windowStart: number;
  current: number;
  previous: number;
}

/**
 * coderd's API rate limiter (`--api-rate-limit`, httprate under it) on /api/v2: keyed by client IP
 * plus URL path, since an agent token is not an API key, and the path holds the task ID, so every
 * task has its own bucket. A sliding window counter: the previous window's count weighs in by the
 * share of it still inside the window. Rejected requests are not counted. Every answer carries
 * `X-RateLimit-Limit`, `-Remaining` and `-Reset`; a 429 `Retry-After`, the window in seconds (60).
 * `limit: 0` rejects everything (a deployment already over its limit).
 */
export class RateLimiter {
  #rule: Required<RateLimitRule> | null = null;
  #buckets = new Map<string, Bucket>();

  set(rule: RateLimitRule | null): void {
    if (rule !== null && (!Number.isSafeInteger(rule.limit) || rule.limit < 0)) throw new RangeError(`rate limit must be a non-negative integer, got ${rule.limit}`);
    if (rule?.windowMs !== undefined && (!Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1)) {
      throw new RangeError(`rate limit window must be a positive integer of ms, got ${rule.windowMs}`);
    }
    this.#rule = rule === null ? null : { limit: rule.limit, windowMs: rule.windowMs ?? DEFAULT_WINDOW_MS };
    this.#buckets.clear();
  }

  get(): RateLimitRule | null {
    return this.#rule;
  }

  /** Answers 429 and returns true when the key's bucket is full; otherwise counts the request. */
  reject(res: ServerResponse, key: string, now = Date.now()): boolean {
    const rule = this.#rule;
    if (rule === null) return false;
    const bucket = this.#bucket(key, rule.windowMs, now);
    const elapsed = now - bucket.windowStart;
    const rate = (bucket.previous * (rule.windowMs - elapsed)) / rule.windowMs + bucket.current;
    res.setHeader('x-ratelimit-limit', String(rule.limit));
    res.setHeader('x-ratelimit-reset', String(Math.ceil((bucket.windowStart + rule.windowMs) / 1000)));
    if (rate + 1 > rule.limit) {
      res.setHeader('x-ratelimit-remaining', '0');
      res.setHeader('retry-after', String(Math.floor(rule.windowMs / 1000)));
      writeMessage(res, 429, `You've been rate limited for sending more than ${rule.limit} requests in ${goDuration(rule.windowMs)}.`);
      return true;
    }
    bucket.current += 1;
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, Math.floor(rule.limit - rate - 1))));
    return false;
  }

  /** The key's bucket, moved on to the window `now` falls in (windows are aligned to the epoch). */
  #bucket(key: string, windowMs: number, now: number): Bucket {
    const windowStart = now - (now % windowMs);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { windowStart, current: 0, previous: 0 };
      this.#buckets.set(key, bucket);
    } else if (bucket.windowStart !== windowStart) {
      bucket.previous = windowStart - bucket.windowStart === windowMs ? bucket.current : 0;
      bucket.current = 0;
      bucket.windowStart = windowStart;
    }
    return bucket;
  }
}

/** The rate limiter's key for a request: client IP and URL path (httprate's KeyByIP + KeyByEndpoint). */
export function rateLimitKey(remoteAddress: string | undefined, path: string): string {
  return `${remoteAddress ?? ''} ${path}`;
}

/** Go's time.Duration String() for whole milliseconds: 1m0s, 1.5s, 250ms. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${seconds}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
