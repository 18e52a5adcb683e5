import type { ServerResponse } from 'node:http';
import { writeMessage } from './respond.ts';
import type { RateLimitRule } from './types.ts';

const DEFAULT_WINDOW_MS = 60_000;

/**
 * A fixed-window request counter for /api/v2, standing in for coderd's API rate limiter.
 * `limit: 0` rejects everything (a deployment already over its limit).
 */
export class RateLimiter {
  #rule: Required<RateLimitRule> | null = null;
  #windowStart = 0;
  #count = 0;

  set(rule: RateLimitRule | null): void {
    if (rule !== null && (!Number.isSafeInteger(rule.limit) || rule.limit < 0)) throw new RangeError(`rate limit must be a non-negative integer, got ${rule.limit}`);
    if (rule?.windowMs !== undefined && (!Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1)) {
      throw new RangeError(`rate limit window must be a positive integer of ms, got ${rule.windowMs}`);
    }
    this.#rule = rule === null ? null : { limit: rule.limit, windowMs: rule.windowMs ?? DEFAULT_WINDOW_MS };
    this.#count = 0;
    this.#windowStart = 0;
  }

  get(): RateLimitRule | null {
    return this.#rule;
  }

  /** Counts the request; answers 429 and returns true when it is over the limit. */
  reject(res: ServerResponse, now = Date.now()): boolean {
    const rule = this.#rule;
    if (rule === null) return false;
    if (now - this.#windowStart >= rule.windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count += 1;
    const resetSeconds = Math.max(1, Math.ceil((this.#windowStart + rule.windowMs - now) / 1000));
    res.setHeader('x-ratelimit-limit', String(rule.limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, rule.limit - this.#count)));
    res.setHeader('x-ratelimit-reset', String(Math.ceil((this.#windowStart + rule.windowMs) / 1000)));
    if (this.#count <= rule.limit) return false;
    res.setHeader('retry-after', String(resetSeconds));
    writeMessage(res, 429, `You've been rate limited for sending more than ${rule.limit} requests in ${goDuration(rule.windowMs)}.`);
    return true;
  }
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
