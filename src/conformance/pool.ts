import pLimit from 'p-limit';

/** Runs `task` over `items` with at most `limit` in flight; results keep the order of `items`. */
export async function runPool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`pool size must be a positive integer, got ${limit}`);
  const run = pLimit(limit);
  return Promise.all(items.map((item, index) => run(() => task(item, index))));
}
