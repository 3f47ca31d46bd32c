/**
 * Bounded concurrency: run an async function over a list with at most `limit` calls in flight, the way a
 * pool of `limit` workers pulls items from a queue. Items start in list order; each starts as soon as a
 * slot frees up.
 *
 * - Error: the first rejection stops new items from starting; the pool waits for the calls already in
 *   flight to settle (nothing keeps running behind the caller's back) and then rejects with that error.
 * - Abort (`signal`): once aborted, no new item starts; the calls in flight are left to finish.
 *   `forEachBounded` then resolves (the caller reads `signal.aborted`), `mapBounded` rejects with the
 *   signal's reason (its results would be incomplete).
 */

export interface BoundedOptions {
  /** Once aborted, no further item starts. */
  signal?: AbortSignal;
}

/** The number of workers for `limit` over `count` items: at least 1 (NaN and fractions round down), at most `count`. */
export function poolSize(limit: number, count: number): number {
  return Math.min(Math.max(1, Math.floor(limit) || 1), count);
}

/**
 * Calls `fn` on every item, at most `limit` at once. Resolves when every started call has settled; when the
 * signal aborts, items not yet started are skipped (and it still resolves).
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<unknown>,
  options: BoundedOptions = {},
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed && !options.signal?.aborted) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (e) {
        if (!failed) {
          failed = true;
          firstError = e;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: poolSize(limit, items.length) }, worker));
  if (failed) throw firstError;
}

/**
 * `fn` over every item, at most `limit` at once; the results in the order of the items (not of completion).
 * Rejects with the signal's reason when it aborts before every item has been mapped.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: BoundedOptions = {},
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let done = 0;
  await forEachBounded(
    items,
    limit,
    async (item, index) => {
      results[index] = await fn(item, index);
      done++;
    },
    options,
  );
  if (done < items.length) throw options.signal?.reason ?? new Error('aborted');
  return results;
}
