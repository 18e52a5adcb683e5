import { performance } from 'node:perf_hooks';

/**
 * Server time as coderd serves `snapshot_at`: PostgreSQL's timestamptz keeps microseconds, and
 * Go's JSON encoding of time.Time (RFC 3339 with nanoseconds) drops trailing zeros of the
 * fraction, so `2026-12-02T18:01:02.123456Z`, `...02.12345Z` or `...02Z`. JavaScript's clock has
 * milliseconds; the microseconds come from the monotonic clock's fraction of a millisecond.
 */
export function nowMicroseconds(now = Date.now(), subMillisecond = performance.now() % 1): string {
  const micros = Math.min(999, Math.floor(subMillisecond * 1000));
  const iso = new Date(now).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}
